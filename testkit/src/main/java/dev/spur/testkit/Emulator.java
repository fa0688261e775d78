package dev.spur.testkit;

import java.net.URI;
import java.util.List;

/** An AWS endpoint that tests and the local stack send their SDK calls to. */
public interface Emulator extends AutoCloseable {

  /** The base address every AWS service answers at, for example {@code http://127.0.0.1:54321}. */
  URI endpoint();

  /** The region the emulator's resources live in, for example {@code us-east-1}. */
  String region();

  /** Which emulator answers: {@code "endpoint"}, {@code "localstack"} or {@code "moto"}. */
  String kind();

  /** Every message SES (v1 or v2) has accepted so far, in the order the emulator reports them. */
  List<SentEmail> sentEmails();

  /** Stops what this object started, if anything; an endpoint named from outside is left alone. */
  @Override
  void close();
}
