package io.peerflow.store;

/** The three parts of a block the store keeps, each under its own key space. */
public enum Part {
  HEADERS,
  BODIES,
  RECEIPTS
}
