package dev.spur.bench;

/**
 * Command line of the benchmarks: {@code allocation [--quick] [--seeds N] [--from S]
 * [--references]} runs every allocation scenario against every policy for seeds S to S+N-1 and
 * prints the table; with {@code --references}, also the policies told part of the truth.
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
    long from = 0;
    boolean references = false;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--references" -> references = true;
        case "--from", "--seeds" -> {
          long number = i + 1 < args.length ? number(args[i + 1]) : -1;
          boolean isFrom = args[i].equals("--from");
          if (number < (isFrom ? 0 : 1) || (!isFrom && number > Integer.MAX_VALUE)) {
            usage();
            return;
          }
          i++;
          if (isFrom) {
            from = number;
          } else {
            seeds = (int) number;
          }
        }
        default -> {
          usage();
          return;
        }
      }
    }
    int count = seeds != null ? seeds : quick ? 5 : 30;
    AllocationBench.print(AllocationBench.run(count, from, references), System.out);
  }

  /** The argument as a whole number, or -1 when it is not one. */
  private static long number(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void usage() {
    System.err.println(
        "usage: spur-bench allocation [--quick] [--seeds N] [--from S] [--references]");
    System.exit(2);
  }
}
