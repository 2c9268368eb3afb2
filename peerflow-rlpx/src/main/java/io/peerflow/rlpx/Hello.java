package io.peerflow.rlpx;

import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The base protocol's Hello message (rlpx.md, "Hello (0x00)"): {@code [protocolVersion, clientId,
 * [[cap, version], ...], listenPort, nodeId, ...]}.
 *
 * <p>Immutable. Decoding follows EIP-8: extra elements after nodeId, and after the two fields of
 * each capability, are ignored, and the version is not checked here.
 *
 * @param protocolVersion the sender's p2p version
 * @param clientId the software's name, e.g. "Geth/v1.14.0/linux-amd64/go1.22"
 * @param capabilities the sender's capabilities, in its order
 * @param listenPort legacy; the spec says to ignore it
 * @param nodeId the sender's 64-byte public key, unchecked here
 */
record Hello(
    long protocolVersion, String clientId, List<Cap> capabilities, long listenPort, byte[] nodeId) {

  /** A capability as advertised: name and version only; its length is known only locally. */
  record Cap(String name, long version) {}

  Hello {
    capabilities = List.copyOf(capabilities);
  }

  byte[] encode() {
    RlpWriter w =
        new RlpWriter(256)
            .startList()
            .writeLong(protocolVersion)
            .writeBytes(clientId.getBytes(StandardCharsets.UTF_8))
            .startList();
    for (Cap c : capabilities) {
      w.startList()
          .writeBytes(c.name().getBytes(StandardCharsets.ISO_8859_1))
          .writeLong(c.version())
          .endList();
    }
    return w.endList().writeLong(listenPort).writeBytes(nodeId).endList().toByteArray();
  }

  /**
   * Decodes a Hello payload.
   *
   * @throws io.peerflow.rlp.RlpException if it is not a Hello
   */
  static Hello decode(byte[] payload) {
    RlpReader list = new RlpReader(payload).readList();
    long version = list.readLong();
    String clientId = new String(list.readBytes(), StandardCharsets.UTF_8);
    RlpReader capsReader = list.readList();
    List<Cap> caps = new ArrayList<>();
    while (capsReader.hasNext()) {
      RlpReader c = capsReader.readList();
      // Names are compared byte for byte with ours; ISO-8859-1 maps each byte to one char.
      String name = new String(c.readBytes(), StandardCharsets.ISO_8859_1);
      caps.add(new Cap(name, c.readLong()));
    }
    long listenPort = list.readLong();
    byte[] nodeId = list.readBytes(NodeId.LENGTH);
    return new Hello(version, clientId, caps, listenPort, nodeId);
  }
}
