package dev.spur.bench;

/**
 * Command line of the benchmarks: {@code allocation [--quick] [--seeds N]} runs every
 * allocation scenario against every policy and prints the table.
 */
public final class Main {

  private Main() {}

  /** Runs the named benchmark. */
  public static void main(String[] args) {
    if (args.length == 0 || !args[0].equals("allocation")) {
      usage();
      return;
    }
    boolean quick = false;
    Integer seeds = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--seeds" -> {
          if (i + 1 >= args.length) {
            usage();
            return;
          }
          try {
            seeds = Integer.parseInt(args[++i]);
          } catch (NumberFormatException e) {
            usage();
            return;
          }
          if (seeds < 1) {
            usage();
            return;
          }
        }
        default -> {
          usage();
          return;
        }
      }
    }
    int count = seeds != null ? seeds : quick ? 5 : 30;
    AllocationBench.print(AllocationBench.run(count), System.out);
  }

  private static void usage() {
    System.err.println("usage: spur-bench allocation [--quick] [--seeds N]");
    System.exit(2);
  }
}
