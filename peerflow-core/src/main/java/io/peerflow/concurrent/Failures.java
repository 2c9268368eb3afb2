package io.peerflow.concurrent;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Puts a failure in words: the one place that unwraps what a future wraps around a cause and
 * chooses between an exception's message and its type.
 *
 * <p>Stateless; safe from any thread.
 */
public final class Failures {

  private Failures() {}

  /**
   * The failure a future's wrapper stands for: the cause of a {@link CompletionException} or {@link
   * ExecutionException} (nested ones too), or {@code error} itself.
   */
  public static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * One line for a person: the unwrapped failure's message, or its type's simple name when it has
   * no message (a bare {@code NullPointerException} says nothing otherwise).
   */
  public static String describe(Throwable error) {
    Throwable t = unwrap(error);
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }
}
