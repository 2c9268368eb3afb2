package io.peerflow.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Compares a recorded result with ours by the rules of the trace format: integers, booleans and
 * strings exactly, doubles to a relative error of 1e-9 (the reference sums capacities in Go's
 * random map order, so the last bits of a mean vary between runs), objects key by key, arrays
 * element by element. Stateless.
 */
final class JsonMatch {

  /** Largest relative difference between two doubles that still counts as equal. */
  static final double RELATIVE_TOLERANCE = 1e-9;

  private JsonMatch() {}

  static boolean matches(JsonNode expected, JsonNode got) {
    if (expected.isNumber() && got.isNumber()) {
      if (expected.isFloatingPointNumber() || got.isFloatingPointNumber()) {
        return closeEnough(expected.doubleValue(), got.doubleValue());
      }
      return expected.bigIntegerValue().equals(got.bigIntegerValue());
    }
    if (expected.isObject() && got.isObject()) {
      if (expected.size() != got.size()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = expected.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode other = got.get(field.getKey());
        if (other == null || !matches(field.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    if (expected.isArray() && got.isArray()) {
      if (expected.size() != got.size()) {
        return false;
      }
      for (int i = 0; i < expected.size(); i++) {
        if (!matches(expected.get(i), got.get(i))) {
          return false;
        }
      }
      return true;
    }
    return expected.equals(got);
  }

  static boolean closeEnough(double a, double b) {
    if (a == b) {
      return true;
    }
    return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
  }
}
