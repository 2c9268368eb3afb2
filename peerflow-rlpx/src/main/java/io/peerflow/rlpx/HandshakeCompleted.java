package io.peerflow.rlpx;

/**
 * The user event the handshake handler fires once the frame codec is in place: the peer's
 * authenticated identity is known and frames may be sent.
 */
record HandshakeCompleted(NodeId remoteId) {}
