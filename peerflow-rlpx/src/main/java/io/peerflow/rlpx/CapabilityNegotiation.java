package io.peerflow.rlpx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Works out the capabilities two peers share and the message ids each gets (rlpx.md, "Message
 * ID-based Multiplexing"): a capability is shared when both list the same name and version; of a
 * name shared at several versions only the highest counts; the shared ones, in alphabetical
 * (case-sensitive, byte-wise) order of name, get consecutive id ranges from 0x10, each as long as
 * its message space.
 *
 * <p>Stateless.
 */
final class CapabilityNegotiation {

  /** A shared capability and the first message id of its range. */
  record Shared(Capability capability, int offset) {
    boolean contains(int code) {
      return code >= offset && code < offset + capability.messageSpaceLength();
    }
  }

  private CapabilityNegotiation() {}

  static List<Shared> negotiate(List<Capability> local, List<Hello.Cap> remote) {
    Set<String> remoteKeys = new HashSet<>();
    for (Hello.Cap c : remote) {
      remoteKeys.add(c.name() + "/" + c.version());
    }
    Map<String, Capability> best = new HashMap<>();
    for (Capability c : local) {
      if (remoteKeys.contains(c.name() + "/" + c.version())) {
        best.merge(c.name(), c, (a, b) -> a.version() >= b.version() ? a : b);
      }
    }
    List<Capability> sorted = new ArrayList<>(best.values());
    // Names are ASCII (Capability checks), so String order is byte order, as in other clients.
    sorted.sort(Comparator.comparing(Capability::name));
    List<Shared> out = new ArrayList<>();
    int offset = BaseProtocol.LENGTH;
    for (Capability c : sorted) {
      out.add(new Shared(c, offset));
      offset += c.messageSpaceLength();
    }
    return List.copyOf(out);
  }
}
