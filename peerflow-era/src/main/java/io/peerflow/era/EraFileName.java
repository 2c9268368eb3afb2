package io.peerflow.era;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An era file's name as the specifications define it: {@code <network>-<epoch>-<short>.era1}, where
 * the short hash is the first four bytes of the accumulator root, or {@code
 * <network>-<epoch>-<short>(-<profile>)*.ere}, where it is the first four bytes of the last block's
 * hash and the profiles ({@code noproofs}, {@code noreceipts}) say what the file leaves out.
 * Immutable.
 */
public record EraFileName(
    String network, long epoch, String shortHash, List<String> profiles, Format format) {

  /** The two file formats. */
  public enum Format {
    /** Pre-merge archives: interleaved block tuples, total difficulty, accumulator. */
    ERA1,
    /** The successor: sections of headers, bodies, slim receipts; a dynamic block index. */
    ERE
  }

  private static final Pattern NAME =
      Pattern.compile("([a-z0-9]+)-(\\d{5,})-([0-9a-f]{8})((?:-[a-z]+)*)\\.(era1|ere)");

  public EraFileName {
    profiles = List.copyOf(profiles);
  }

  /** The file name. */
  public String fileName() {
    StringBuilder b =
        new StringBuilder(String.format(Locale.ROOT, "%s-%05d-%s", network, epoch, shortHash));
    for (String p : profiles) {
      b.append('-').append(p);
    }
    return b.append(format == Format.ERA1 ? ".era1" : ".ere").toString();
  }

  /** The first block number the file must hold. */
  public long startBlock() {
    return epoch * Accumulator.MAX_RECORDS;
  }

  /**
   * Parses a file name.
   *
   * @throws EraException when the name does not follow the convention
   */
  public static EraFileName parse(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      throw new EraException(
          fileName
              + ": not an era file name (<network>-<epoch>-<8 hex digits>.era1, or"
              + " <network>-<epoch>-<8 hex digits>[-profile].ere)");
    }
    String profiles = m.group(4);
    List<String> list =
        profiles.isEmpty() ? List.of() : List.of(profiles.substring(1).split("-", -1));
    Format format = m.group(5).equals("era1") ? Format.ERA1 : Format.ERE;
    if (format == Format.ERA1 && !list.isEmpty()) {
      throw new EraException(fileName + ": era1 file names carry no profile");
    }
    long epoch;
    try {
      epoch = Long.parseLong(m.group(2));
    } catch (NumberFormatException e) {
      throw new EraException(fileName + ": epoch out of range", e);
    }
    if (epoch > Long.MAX_VALUE / Accumulator.MAX_RECORDS) {
      throw new EraException(fileName + ": epoch out of range");
    }
    return new EraFileName(m.group(1), epoch, m.group(3), list, format);
  }

  /** Whether a file name looks like an era file (to pick them out of a directory). */
  public static boolean matches(String fileName) {
    return NAME.matcher(fileName).matches();
  }
}
