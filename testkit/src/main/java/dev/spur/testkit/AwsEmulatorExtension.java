package dev.spur.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Makes sure the JVM's shared emulator runs and the SDK points at it before a test class runs,
 * and hands it to constructor and method parameters of type {@link Emulator}.
 */
public final class AwsEmulatorExtension implements BeforeAllCallback, ParameterResolver {

  @Override
  public void beforeAll(ExtensionContext context) {
    Emulators.configureSdk(Emulators.shared());
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Emulator.class;
  }

  // A per-class test instance is built before beforeAll runs, so resolving configures too.
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Emulator emulator = Emulators.shared();
    Emulators.configureSdk(emulator);
    return emulator;
  }
}
