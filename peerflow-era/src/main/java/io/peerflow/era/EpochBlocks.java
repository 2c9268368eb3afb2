package io.peerflow.era;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The blocks an era file is written from, by number, in the store's forms: header and body RLP,
 * receipts in eth/69's form. Implementations say how concurrent calls behave; the writers call from
 * one thread.
 */
interface EpochBlocks {

  byte[] header(long number);

  byte[] body(long number);

  byte[] receipts(long number);

  /** The block's total difficulty, or empty when unknown. */
  Optional<BigInteger> totalDifficulty(long number);
}
