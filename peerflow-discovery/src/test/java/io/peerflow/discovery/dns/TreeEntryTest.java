package io.peerflow.discovery.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Against EIP-1459's example list. */
class TreeEntryTest {

  static final String URL =
      "enrtree://AM5FCQLWIZX2QFPNJAP7VUERCCRNGRHWZG3YYHIUV7BVDQ5FDPRT2@nodes.example.org";

  static final byte[] PROSE_KEY =
      HexFormat.of()
          .parseHex(
              "9f88229042fef9200246f49f94d9b77c4e954721442714e85850cb6d9e5daf2d"
                  + "880ea0e53cb3ac1a75f9923c2726a4f941f7d326781baa6380754a360de5c2b6");

  static final String ROOT =
      "enrtree-root:v1 e=JWXYDBPXYWG6FX3GMDIBFA6CJ4 l=C7HRFPF3BLGF3YR4DY5KX3SMBE seq=1"
          + " sig=o908WmNp7LibOfPsr4btQwatZJ5URBr2ZAuxvK4UWHlsB9sUOTJQaGAlLPVAhM__XJesCHxLISo94z5Z2a463gA";

  static final String LINK =
      "enrtree://AM5FCQLWIZX2QFPNJAP7VUERCCRNGRHWZG3YYHIUV7BVDQ5FDPRT2@morenodes.example.org";

  static final String BRANCH =
      "enrtree-branch:2XS2367YHAXJFGLZHVAWLQD4ZY,H4FHT4B454P6UXFD7JCYQ5PWDY,MHTDO6TMUBRIA2XWG5LUDACK24";

  static final String LEAF =
      "enr:-HW4QOFzoVLaFJnNhbgMoDXPnOvcdVuj7pDpqRvh6BRDO68aVi5ZcjB3vzQRZH2IcLBGHzo8uUN3snqmgTiE56CH3AMBgmlkgnY0iXNlY3AyNTZrMaECC2_24YYkYHEgdzxlSNKQEnHhuNAbNlMlWJxrJxbAFvA";

  @Test
  void theExampleUrlNamesItsDomainAndKey() throws Exception {
    EnrTreeUrl url = EnrTreeUrl.parse(URL);
    assertThat(url.domain()).isEqualTo("nodes.example.org");
    // The EIP's example is not consistent: its prose names the key 0x049f88… (which did sign the
    // example root, see theExampleRootIsSignedByTheKeyTheEipNames), but the example URL encodes
    // this other one. Decoding it with any base32 decoder gives these bytes.
    assertThat(
            HexFormat.of()
                .formatHex(io.peerflow.discovery.enr.IdentityV4.compress(url.publicKey())))
        .isEqualTo("033a514176466fa815ed481ffad09110a2d344f6c9b78c1d14afc351c3a51be33d");
    assertThat(url.toString()).isEqualTo(URL);
  }

  @Test
  void theExampleEntriesHashToTheNamesTheyArePublishedUnder() {
    assertThat(TreeEntry.hashOf(LINK)).isEqualTo("C7HRFPF3BLGF3YR4DY5KX3SMBE");
    assertThat(TreeEntry.hashOf(BRANCH)).isEqualTo("JWXYDBPXYWG6FX3GMDIBFA6CJ4");
    assertThat(TreeEntry.hashOf(LEAF)).isEqualTo("2XS2367YHAXJFGLZHVAWLQD4ZY");
  }

  @Test
  void theExampleRootIsSignedByTheKeyTheEipNames() throws Exception {
    TreeEntry.Root root = (TreeEntry.Root) TreeEntry.parse(ROOT);
    assertThat(root.seq()).isEqualTo(1);
    assertThat(root.text()).isEqualTo(ROOT);
    root.verify(PROSE_KEY);
    assertThatThrownBy(() -> root.verify(EnrTreeUrl.parse(URL).publicKey()))
        .hasMessage("root signature does not match the list's public key");
  }

  @Test
  void aRootWithAnotherSequenceNumberFailsItsSignature() throws Exception {
    TreeEntry.Root root = (TreeEntry.Root) TreeEntry.parse(ROOT.replace("seq=1", "seq=2"));
    assertThatThrownBy(() -> root.verify(PROSE_KEY))
        .isInstanceOf(DnsTreeException.class)
        .hasMessage("root signature does not match the list's public key");
  }

  @Test
  void everyKindOfEntryParses() throws Exception {
    assertThat(TreeEntry.parse(BRANCH)).isInstanceOf(TreeEntry.Branch.class);
    assertThat(((TreeEntry.Branch) TreeEntry.parse(BRANCH)).children()).hasSize(3);
    assertThat(TreeEntry.parse(LINK)).isInstanceOf(TreeEntry.Link.class);
    assertThat(TreeEntry.parse(LEAF)).isInstanceOf(TreeEntry.Leaf.class);
    assertThat(TreeEntry.parse(LEAF).text()).isEqualTo(LEAF);
  }

  @Test
  void anUnknownEntryIsRefused() {
    assertThatThrownBy(() -> TreeEntry.parse("v=spf1 -all"))
        .isInstanceOf(DnsTreeException.class)
        .hasMessage("unknown entry 'v=spf1 -all'");
  }

  @Property(tries = 1000)
  void anyTextEitherParsesOrIsRefusedWithTheOneException(@ForAll String text) {
    for (String t :
        new String[] {
          text,
          "enrtree-root:v1 " + text,
          "enrtree-branch:" + text,
          "enr:" + text,
          "enrtree://" + text
        }) {
      try {
        TreeEntry.parse(t);
      } catch (DnsTreeException expected) {
        // the one failure the parser reports
      }
    }
  }
}
