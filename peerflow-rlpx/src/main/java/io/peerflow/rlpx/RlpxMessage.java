package io.peerflow.rlpx;

/**
 * One message on the wire after framing: its absolute message id and its (uncompressed) RLP
 * payload. What flows between the message codec and the session handler.
 *
 * <p>Immutable by convention: the payload array is not copied, and nobody writes to it after
 * constructing the message.
 */
record RlpxMessage(int code, byte[] payload) {

  @Override
  public String toString() {
    return String.format("RlpxMessage[code=0x%02x, %d bytes]", code, payload.length);
  }
}
