package io.peerflow.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void unwrapReachesTheCauseThroughNestedFutureWrappers() {
    IOException cause = new IOException("reset");
    Throwable wrapped = new CompletionException(new ExecutionException(cause));
    assertThat(Failures.unwrap(wrapped)).isSameAs(cause);
  }

  @Test
  void unwrapKeepsAWrapperWithoutCause() {
    CompletionException bare = new CompletionException("no cause", null);
    assertThat(Failures.unwrap(bare)).isSameAs(bare);
  }

  @Test
  void describeUsesTheMessageOrElseTheTypeName() {
    assertThat(Failures.describe(new CompletionException(new IOException("reset"))))
        .isEqualTo("reset");
    assertThat(Failures.describe(new CompletionException(new NullPointerException())))
        .isEqualTo("NullPointerException");
    assertThat(Failures.describe(new IllegalStateException(" ")))
        .isEqualTo("IllegalStateException");
  }
}
