package dev.spur.local;

import dev.spur.testkit.Emulator;
import dev.spur.testkit.Emulators;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack's command line: {@code up [--port N]} serves the template until stopped,
 * {@code invoke <FunctionId> <event.json>} runs one function on one payload, {@code demo} runs
 * the referral scenario. {@code --template FILE} and {@code --prefix P} work with each.
 */
public final class Main {

  private static final int DEFAULT_PORT = LocalDeployment.DEFAULT_PORT;
  private static final String USAGE =
      String.join(
          "\n",
          "usage: spur-local up [--port N] [--template FILE] [--prefix P] [--state FILE]",
          "       spur-local invoke <FunctionId> <event.json> [--template FILE] [--prefix P]",
          "       spur-local demo [--template FILE]");

  private Main() {}

  /** Runs one command and exits with its status. */
  public static void main(String[] args) {
    int status;
    try {
      status = run(args, System.out, System.err);
    } catch (IllegalArgumentException e) {
      System.err.println("spur-local: " + e.getMessage());
      System.err.println(USAGE);
      status = 2;
    }
    System.exit(status);
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    Arguments arguments = Arguments.parse(args);
    Path root = projectRoot();
    Path templateFile = arguments.template().orElse(root.resolve("template.yaml"));
    if (!Files.isRegularFile(templateFile)) {
      throw new IllegalArgumentException("no template at " + templateFile);
    }
    Template template = Template.load(templateFile);
    // Where a running stack leaves its endpoint for invoke; a second stack (the fuzzer's) names
    // a file of its own, so it does not take over the developer's.
    Path upFile = arguments.state().orElse(root.resolve(".spur").resolve("up.json"));
    return switch (arguments.command()) {
      case "up" -> up(template, arguments, upFile, out);
      case "invoke" -> invoke(template, arguments, upFile, out);
      case "demo" -> demo(template, arguments);
      default -> throw new IllegalArgumentException("unknown command " + arguments.command());
    };
  }

  private static int up(Template template, Arguments arguments, Path upFile, PrintStream out) {
    arguments.requirePositionals(0);
    int port = arguments.port().orElse(DEFAULT_PORT);
    if (!portFree(port)) {
      System.err.println(
          "spur up: 127.0.0.1:" + port + " is in use; choose another with --port N");
      return 2;
    }
    Emulator emulator = Emulators.start();
    Emulators.configureSdk(emulator);
    String prefix = arguments.prefix().orElse(LocalDeployment.DEFAULT_PREFIX);
    LocalDeployment deployment = LocalDeployment.create(template, prefix,
        Map.of(LocalDeployment.PUBLIC_BASE_URL, "http://127.0.0.1:" + port));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  RunningStack.delete(upFile);
                  deployment.close();
                  emulator.close();
                  stopped.countDown();
                },
                "spur-local-stop"));
    deployment.provision();
    URI api = deployment.serveHttp(arguments.port().orElse(DEFAULT_PORT));
    deployment.startEventRouting();
    deployment.startSchedules();
    new RunningStack(
            emulator.endpoint(),
            emulator.region(),
            api.getPort(),
            prefix,
            ProcessHandle.current().pid())
        .write(upFile);

    out.println("Spur local stack: " + api + " (emulator " + emulator.kind() + " at "
        + emulator.endpoint() + ")");
    for (LambdaFunction function : template.functions()) {
      for (Trigger.HttpRoute route : function.triggers(Trigger.HttpRoute.class)) {
        out.printf("  %-40s -> %s%n", route.routeKey(), function.id());
      }
    }
    for (LambdaFunction function : template.functions()) {
      if (deployment.hasSchedule(function.id())) {
        out.printf("  %-40s -> fires %s now%n", "POST /_local/schedules/" + function.id(),
            function.id());
      }
    }
    out.printf("  %-40s -> waits for event routing to go idle%n", "POST /_local/drain");
    out.println("Ctrl-C stops it.");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  private static int invoke(
      Template template, Arguments arguments, Path upFile, PrintStream out) {
    arguments.requirePositionals(2);
    String functionId = arguments.positionals().get(0);
    Path eventFile = Path.of(arguments.positionals().get(1));
    template.function(functionId);
    String event;
    try {
      event = Files.readString(eventFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read event file " + eventFile, e);
    }

    // As with `sam local invoke`, the function's log lines go to standard error and only its
    // response to standard output, so that the response can be piped on as JSON.
    dev.spur.core.log.Log.redirect(System.err);
    Optional<RunningStack> running = RunningStack.find(upFile);
    if (running.isPresent()) {
      // The running stack's emulator is named from outside, so closing it below leaves it up.
      System.setProperty("aws.endpointUrl", running.get().endpoint().toString());
      System.setProperty("aws.region", running.get().region());
    }
    try (Emulator emulator = Emulators.start()) {
      Emulators.configureSdk(emulator);
      String prefix =
          running.map(RunningStack::prefix)
              .orElse(arguments.prefix().orElse(LocalDeployment.DEFAULT_PREFIX));
      try (LocalDeployment deployment = LocalDeployment.create(template, prefix)) {
        if (running.isEmpty()) {
          deployment.provision();
        }
        try {
          out.println(deployment.invoke(functionId, event));
          return 0;
        } catch (FunctionError e) {
          out.println(e.toJson());
          return 1;
        }
      }
    }
  }

  private static int demo(Template template, Arguments arguments) {
    arguments.requirePositionals(0);
    // The functions' and the stack's JSON log lines go to a file, so the story reads cleanly.
    Path logFile = projectRoot().resolve(".spur").resolve("demo.log");
    try {
      Files.createDirectories(logFile.getParent());
      PrintStream log = new PrintStream(Files.newOutputStream(logFile), true,
          StandardCharsets.UTF_8);
      dev.spur.core.log.Log.redirect(log);
      System.setErr(log);
      System.out.println("log lines of the functions and the stack: " + logFile);
    } catch (IOException e) {
      System.out.println("demo: cannot write " + logFile + "; logging to the terminal");
    }
    try (Emulator emulator = Emulators.start()) {
      Emulators.configureSdk(emulator);
      String prefix = arguments.prefix().orElse("spur-demo-");
      try (LocalDeployment deployment = LocalDeployment.create(template, prefix)) {
        deployment.provision();
        URI api = deployment.serveHttp(arguments.port().orElse(0));
        deployment.startEventRouting();
        return Demo.run(deployment, emulator, api);
      }
    }
  }

  private static boolean portFree(int port) {
    try (var socket = new java.net.ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  // The launcher names the checkout in SPUR_ROOT; run by hand, the working folder is the root.
  private static Path projectRoot() {
    String root = System.getenv("SPUR_ROOT");
    return root == null || root.isBlank() ? Path.of("").toAbsolutePath() : Path.of(root);
  }

  /** The command line, read once. */
  record Arguments(
      String command,
      List<String> positionals,
      Optional<Integer> port,
      Optional<Path> template,
      Optional<String> prefix,
      Optional<Path> state) {

    static Arguments parse(String[] args) {
      if (args.length == 0) {
        throw new IllegalArgumentException("no command given");
      }
      List<String> positionals = new ArrayList<>();
      Integer port = null;
      Path template = null;
      String prefix = null;
      Path state = null;
      for (int i = 1; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--port" -> port = parsePort(value(args, ++i, arg));
          case "--template" -> template = Path.of(value(args, ++i, arg));
          case "--prefix" -> prefix = value(args, ++i, arg);
          case "--state" -> state = Path.of(value(args, ++i, arg));
          default -> {
            if (arg.startsWith("--")) {
              throw new IllegalArgumentException("unknown option " + arg);
            }
            positionals.add(arg);
          }
        }
      }
      return new Arguments(
          args[0],
          List.copyOf(positionals),
          Optional.ofNullable(port),
          Optional.ofNullable(template),
          Optional.ofNullable(prefix),
          Optional.ofNullable(state));
    }

    void requirePositionals(int count) {
      if (positionals.size() != count) {
        throw new IllegalArgumentException(
            command + " takes " + count + " arguments, got " + positionals);
      }
    }

    private static String value(String[] args, int index, String option) {
      if (index >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[index];
    }

    private static int parsePort(String text) {
      try {
        int port = Integer.parseInt(text);
        if (port < 0 || port > 65_535) {
          throw new IllegalArgumentException("--port must be 0 to 65535, got " + text);
        }
        return port;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--port must be a number, got " + text, e);
      }
    }
  }
}
