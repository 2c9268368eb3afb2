package io.peerflow.era;

import java.math.BigInteger;
import java.util.Optional;

/**
 * An era file's blocks in the store's forms, for writing them out again (converting era1 to ere, or
 * rewriting). Thread-safe, as the archive is.
 */
final class ArchiveBlocks implements EpochBlocks {

  private final EraArchive archive;

  ArchiveBlocks(EraArchive archive) {
    this.archive = archive;
  }

  @Override
  public byte[] header(long number) {
    return archive.headerRlp(number);
  }

  @Override
  public byte[] body(long number) {
    return archive.bodyRlp(number);
  }

  @Override
  public byte[] receipts(long number) {
    return archive
        .receiptsRlp(number)
        .orElseThrow(() -> new EraException(archive.where(number) + "the file has no receipts"));
  }

  @Override
  public Optional<BigInteger> totalDifficulty(long number) {
    return archive.totalDifficulty(number);
  }
}
