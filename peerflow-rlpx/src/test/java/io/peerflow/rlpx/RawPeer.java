package io.peerflow.rlpx;

import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.peerflow.crypto.Secp256k1;
import io.peerflow.rlp.RlpReader;
import io.peerflow.rlp.RlpWriter;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;

/**
 * A hand-driven RLPx peer on a blocking loopback socket, for tests that must send what a real node
 * never would: garbage, corrupted frames, bad MACs, oversize messages. Built from the package's own
 * handshake and frame cipher, which the vector tests check against the spec.
 */
final class RawPeer implements AutoCloseable {

  /** No test should wait longer than this for one read. */
  static final int READ_TIMEOUT_MILLIS = 5000;

  final NodeKey key = NodeKey.generate(HandshakePair.RANDOM);
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private FrameCipher cipher;
  private boolean sentHello;
  private boolean receivedHello;

  RawPeer(InetSocketAddress address) throws IOException {
    socket = new Socket();
    socket.connect(address, READ_TIMEOUT_MILLIS);
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Runs the initiator side of an EIP-8 handshake with {@code server}. */
  RawPeer handshake(NodeId server) throws IOException {
    Handshake hs = Handshake.initiator(key, server, HandshakePair.RANDOM);
    out.write(hs.createAuth());
    int size = in.readUnsignedShort();
    byte[] ack = new byte[2 + size];
    ack[0] = (byte) (size >>> 8);
    ack[1] = (byte) size;
    in.readFully(ack, 2, size);
    hs.readPacket(ack, false);
    cipher = new FrameCipher(hs.secrets());
    return this;
  }

  /** Runs the initiator side of a legacy (pre-EIP-8) handshake. */
  RawPeer legacyHandshake(NodeId server) throws IOException {
    byte[] ephemeral = Secp256k1.generatePrivateKey(HandshakePair.RANDOM);
    byte[] nonce = new byte[32];
    HandshakePair.RANDOM.nextBytes(nonce);
    byte[] auth = HandshakeHandlerTest.legacyAuth(key, server, ephemeral, nonce);
    out.write(auth);
    byte[] ack = new byte[Handshake.LEGACY_ACK_LENGTH];
    in.readFully(ack);
    Handshake hs = new Handshake(true, key, server, ephemeral, nonce, HandshakePair.RANDOM);
    if (!hs.tryReadLegacy(ack)) {
      throw new IOException("server did not answer with a legacy ack");
    }
    cipher =
        new FrameCipher(
            Secrets.derive(
                true,
                server,
                ephemeral,
                hs.remoteEphemeralKey(),
                nonce,
                hs.remoteNonce(),
                auth,
                ack));
    return this;
  }

  /** A complete sealed frame for {@code frameData}, for tests that corrupt it before sending. */
  byte[] seal(byte[] frameData) {
    byte[] header = cipher.sealHeader(frameData.length);
    byte[] body = cipher.sealBody(frameData, 0, frameData.length);
    byte[] frame = Arrays.copyOf(header, header.length + body.length);
    System.arraycopy(body, 0, frame, header.length, body.length);
    return frame;
  }

  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends a message as a well-behaved peer would, compressed once Hellos are exchanged. */
  void send(int code, byte[] payload) throws IOException {
    byte[] id = new RlpWriter().writeLong(code).toByteArray();
    byte[] body = payload;
    if (snappy()) {
      SnappyCompressor c = new SnappyCompressor();
      byte[] buf = new byte[c.maxCompressedLength(payload.length)];
      body = Arrays.copyOf(buf, c.compress(payload, 0, payload.length, buf, 0, buf.length));
    }
    byte[] data = Arrays.copyOf(id, id.length + body.length);
    System.arraycopy(body, 0, data, id.length, body.length);
    sendRaw(seal(data));
  }

  /** Sends frame data exactly as given (message id and body), bypassing compression. */
  void sendFrameData(byte[] frameData) throws IOException {
    sendRaw(seal(frameData));
  }

  /** Messages after both Hellos are compressed (EIP-706); Hello itself never is. */
  private boolean snappy() {
    return sentHello && receivedHello;
  }

  void sendHello(List<Hello.Cap> caps) throws IOException {
    send(BaseProtocol.HELLO, new Hello(5, "raw-peer", caps, 0, key.id().rawBytes()).encode());
    sentHello = true;
  }

  /** Reads the server's Hello, which it sends right after the handshake. */
  Hello readHello() throws IOException {
    RlpxMessage m = read();
    if (m.code() != BaseProtocol.HELLO) {
      throw new IOException("expected Hello, got " + m);
    }
    receivedHello = true;
    return Hello.decode(m.payload());
  }

  /** Reads one message; throws EOFException at end of stream. */
  RlpxMessage read() throws IOException {
    byte[] header = new byte[32];
    in.readFully(header);
    int size = cipher.openHeader(header);
    byte[] body = new byte[FrameCipher.paddedLength(size) + FrameCipher.MAC_LENGTH];
    in.readFully(body);
    byte[] data = cipher.openBody(body, 0, size);
    int idLen = (data[0] & 0xff) < 0x80 ? 1 : 1 + (data[0] & 0xff) - 0x80;
    int code = (int) new RlpReader(Arrays.copyOf(data, idLen)).readLong();
    byte[] payload = Arrays.copyOfRange(data, idLen, data.length);
    if (snappy()) {
      int len = (int) SnappyCodec.uncompressedLength(payload);
      byte[] plain = new byte[len];
      new SnappyDecompressor().decompress(payload, 0, payload.length, plain, 0, len);
      payload = plain;
    }
    return new RlpxMessage(code, payload);
  }

  /**
   * Reads until the server closes the connection and returns the reason of the Disconnect it sent
   * on the way, or null if it closed without one. Fails if the socket stays open past the read
   * timeout.
   */
  DisconnectReason awaitClose() throws IOException {
    DisconnectReason reason = null;
    try {
      if (cipher == null) {
        while (in.read() >= 0) {
          // Before the handshake the server sends nothing we could decode; just wait for EOF.
        }
        return null;
      }
      while (true) {
        RlpxMessage m = read();
        if (m.code() == BaseProtocol.DISCONNECT) {
          reason = DisconnectReason.fromCode(BaseProtocol.decodeDisconnect(m.payload()));
        }
      }
    } catch (EOFException | SocketException closed) {
      return reason;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
