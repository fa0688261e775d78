package dev.spur.allocation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Learns each channel's response to spend and splits the budget where the learned responses
 * say it earns most, trying out what it knows little about.
 *
 * <p><b>Model.</b> A channel's lifetime value in a bucket is {@code level * h(adstock)}, read
 * as the bucket's conversions times the channel's value per conversion over the window: the
 * adstock is the bucket's spend plus a fixed share of the previous adstock (carry-over), and
 * {@code h} is a Hill curve. Its shape (exponent, half-saturation spend and how fast the level
 * changes) is one of a fixed grid. For each shape a discounted Kalman filter tracks the level
 * through the window, so that it follows change, and reads a result far off its prediction as
 * a jump in level. Beside those, each curve has a steady filter whose level is carried from run
 * to run in {@code modelState}, so that while a channel stays the same its level keeps
 * sharpening beyond what one window can show, and what is drawn for it narrows; at a jump it
 * takes the slow windowed filter's level. Each shape is weighed by how well it predicted every
 * bucket before seeing it. That evidence about shapes is kept between runs too and fades slowly
 * ({@code shapeMemory} per bucket), because what a channel's curve looks like is learnt only
 * where spend has varied, and a settled split stops varying it.
 *
 * <p><b>Decision.</b> Each run draws every channel's curve from its posterior (Thompson
 * sampling, each curve the average of {@code samples} draws, so that it explores without
 * lurching), and takes the split that maximises the drawn total on a grid inside the
 * guardrails, which equalises marginal returns and copes with S-curves. What it knows little
 * about varies most from draw to draw, so that is what gets tried; the kept shape evidence is
 * what makes trying pay, since what a trial taught outlives the window.
 *
 * <p><b>Prior.</b> An unseen channel's expected curve passes through the campaign's own value
 * per unit of spend at the typical spend, so it is neither starved nor favoured; concave
 * curves bending near the typical spend are favoured a priori over flat or S-shaped ones.
 *
 * <p><b>Buckets.</b> A bucket's evidence joins the kept memory once, when it is the
 * second-newest in the window (the newest may still be filling), recognised by its contents. A
 * run that sees several new buckets at once keeps only the newest complete one's evidence; the
 * rest still count through the window for as long as they are in it. The draws, too, change
 * only when a new bucket completes: runs within one bucket differ only by what the filling
 * bucket adds.
 */
final class ResponseCurveAllocator implements Allocator {

  /**
   * The curve grid: Hill exponent and half-saturation spend as a multiple of the typical spend.
   * S-curves bend no further out than about twice the typical spend, since a bend beyond every
   * spend seen promises rising returns that no window can refute.
   */
  private static final double[][] CURVES = {
    {1, 0.25}, {1, 0.5}, {1, 1}, {1, 2}, {1, 4}, {1, 8}, {2, 0.25}, {2, 0.5}, {2, 1}, {2, 2},
    {2, 4}
  };
  /**
   * Carry-over shares tried. One middling share serves: a grid of them doubled the time and
   * did not help in the benchmark, since steady spend hides carry-over as well as it hides
   * curvature.
   */
  private static final double[] CARRYOVERS = {0.2};
  private static final int SPEEDS = 2;
  private static final int PAIRS = CURVES.length * CARRYOVERS.length;
  /** Shapes filtered through the window afresh every run, one per curve and speed. */
  private static final int WINDOWED = PAIRS * SPEEDS;
  /** Every shape: the windowed ones, then one steady filter per curve, carried between runs. */
  private static final int SHAPES = WINDOWED + PAIRS;
  /** Numbers kept per steady filter (level, its variance, noise), and two for all of them. */
  static final int STEADY_FIELDS = 3;
  static final int STEADY_SIZE = STEADY_FIELDS * PAIRS + 2;
  /**
   * Buckets after which a result counts half as much in a steady filter: with daily buckets,
   * about six weeks, longer than the window.
   */
  private static final double STEADY_HALF_LIFE = 40;
  /** Prior spread of the half-saturation spend around the typical spend, in log units. */
  private static final double HALF_SATURATION_SPREAD = 1.0;
  /** Prior odds of an S-curve against a concave curve of the same half-saturation spend. */
  private static final double S_CURVE_ODDS = 0.3;
  /** Each curve's prior log-weight, by its half-saturation spend and whether it is an S. */
  private static final double[] CURVE_PRIORS = curvePriors();
  /** Prior spread of a channel's value at the typical spend, relative to the typical value. */
  private static final double PRIOR_SPREAD = 1.0;
  /** Prior noise of one bucket's value, relative to the typical value. */
  private static final double PRIOR_NOISE = 0.5;
  /** Discount of the noise estimate per bucket. */
  private static final double NOISE_DECAY = 0.98;
  /**
   * A squared standardised error beyond which a bucket is read as a change of level: five
   * standard errors. Results are heavy-tailed (a lucky week, a burst of sign-ups), and at four
   * ordinary noise kept resetting what the filter had learnt of the level.
   */
  private static final double JUMP = 25;
  /** The most one bucket's squared standardised error counts against a shape. */
  private static final double MAX_SURPRISE = 4;
  /** How much a change of level widens the level's uncertainty. */
  private static final double WIDEN = 10;
  /**
   * Conversions of the campaign's average that a channel's own value per conversion is shrunk
   * toward, so that a channel with a handful of customers is not judged by one big order.
   */
  private static final double PER_CONVERSION_PRIOR = 2;
  /** Shapes this improbable are left out of the expected curve, to save time. */
  private static final double NEGLIGIBLE = 1e-3;
  /** Evidence against a shape is capped, so that a shape can come back when things change. */
  private static final double MAX_DEFICIT = 20.0;

  private static double[] curvePriors() {
    double[] priors = new double[CURVES.length];
    for (int c = 0; c < CURVES.length; c++) {
      double logHalf = StrictMath.log(CURVES[c][1]) / HALF_SATURATION_SPREAD;
      priors[c] =
          -0.5 * logHalf * logHalf + (CURVES[c][0] == 1 ? 0 : StrictMath.log(S_CURVE_ODDS));
    }
    return priors;
  }

  private final LearningSettings settings;
  private final double[] decays;
  private final double steadyInverseDecay = StrictMath.pow(2, 1.0 / STEADY_HALF_LIFE);

  ResponseCurveAllocator(LearningSettings settings) {
    this.settings = settings;
    this.decays =
        new double[] {
          StrictMath.pow(0.5, 1.0 / settings.quickHalfLife()),
          StrictMath.pow(0.5, 1.0 / settings.slowHalfLife())
        };
  }

  @Override
  public Allocation allocate(AllocationRequest request) {
    Envelope envelope = Envelope.of(request);
    List<ChannelWindow> channels = request.channels();
    int n = channels.size();
    ModelState state =
        ModelState.parse(request.modelState(), SHAPES, STEADY_SIZE, request.seed());

    int enabled = 0;
    for (ChannelWindow channel : channels) {
      enabled += channel.enabled() ? 1 : 0;
    }
    double typical = Math.max(1.0, (double) request.budget() / Math.max(1, enabled));
    double ratio = campaignRatio(channels);
    double perConversion = campaignPerConversion(channels);

    Belief[] beliefs = new Belief[n];
    Map<String, ModelState.Memory> kept = new HashMap<>();
    boolean arrived = false;
    for (int i = 0; i < n; i++) {
      ChannelWindow channel = channels.get(i);
      ModelState.Memory before = state.memory(channel.channel());
      if (channel.enabled()) {
        beliefs[i] = fit(channel, typical, ratio * typical, perConversion, before);
        kept.put(channel.channel(), beliefs[i].memory);
        arrived |= before == null || before.fingerprint() != beliefs[i].memory.fingerprint();
      } else if (before != null) {
        // A channel switched off keeps what was learnt of it, for when it is switched back on.
        kept.put(channel.channel(), before);
      }
    }
    // New draws come with new complete buckets, not with every run: a campaign reallocated
    // every few minutes against daily buckets keeps one draw a day instead of lurching at each
    // run, and what it explores is what a day's results can show.
    long buckets = state.buckets() + (arrived ? 1 : 0);
    Draws draws = new Draws(Draws.mix(state.seed(), buckets));

    long[] lower = envelope.lowers();
    long[] upper = envelope.uppers();
    List<DoubleUnaryOperator> curves = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Belief belief = beliefs[i];
      curves.add(belief == null ? x -> 0.0 : belief.draw(draws, settings.samples()));
    }
    double[] point =
        ResponseMaximizer.maximize(curves, lower, upper, request.budget(), settings.steps());
    long[] amounts = LargestRemainder.apportion(point, lower, upper, request.budget());

    List<ChannelAllocation> result = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ChannelWindow channel = channels.get(i);
      String driver =
          beliefs[i] == null ? "" : driver(beliefs[i], envelope.littleData(i), amounts[i], ratio);
      result.add(
          new ChannelAllocation(
              channel.channel(),
              amounts[i],
              Reasons.sentence(envelope, i, channel, amounts[i], driver)));
    }
    return new Allocation(result, state.next(buckets, channels, kept));
  }

  private static String driver(Belief belief, boolean little, long amount, double ratio) {
    if (little) {
      return "to learn its response while its data is thin";
    }
    double spend = Math.max(1.0, amount);
    double perUnit = belief.meanValue(spend) / spend;
    return "for expected lifetime value per unit spent "
        + Reasons.ratio(perUnit / ratio)
        + " the campaign's";
  }

  /** The campaign's lifetime value per unit of spend over the window; 1 when nothing is known. */
  private double campaignRatio(List<ChannelWindow> channels) {
    double spend = 0;
    double value = 0;
    for (ChannelWindow channel : channels) {
      List<WindowBucket> buckets = channel.buckets();
      double weight = 1;
      for (int j = buckets.size() - 1; j >= 0; j--) {
        WindowBucket bucket = buckets.get(j);
        spend += weight * bucket.spend();
        value += weight * valueOf(bucket);
        weight *= decays[1];
      }
    }
    return spend > 0 && value > 0 ? value / spend : 1.0;
  }

  /** The campaign's lifetime value per conversion over the window; 0 when none converted. */
  private static double campaignPerConversion(List<ChannelWindow> channels) {
    double conversions = 0;
    double value = 0;
    for (ChannelWindow channel : channels) {
      for (WindowBucket bucket : channel.buckets()) {
        conversions += bucket.conversions();
        value += valueOf(bucket);
      }
    }
    return conversions > 0 ? value / conversions : 0;
  }

  private static double valueOf(WindowBucket bucket) {
    return Math.max(bucket.lifetimeValue(), bucket.revenue());
  }

  /**
   * Filters one channel's window under every shape and weighs the shapes. Values are divided by
   * the typical value so that the filter's numbers stay near 1 whatever the currency.
   */
  private Belief fit(
      ChannelWindow channel,
      double typical,
      double typicalValue,
      double campaignPerConversion,
      ModelState.Memory before) {
    List<WindowBucket> buckets = channel.buckets();
    int m = buckets.size();
    double[] spend = new double[m];
    double[] value = new double[m];
    double conversions = 0;
    double total = 0;
    for (int j = 0; j < m; j++) {
      conversions += buckets.get(j).conversions();
      total += valueOf(buckets.get(j));
    }
    // What spend buys is conversions; what a conversion is worth is the channel's, and varies
    // with order sizes that have nothing to do with spend. So a bucket's value is read as its
    // conversions times the window's value per conversion, which keeps a few large orders from
    // looking like a response to spend. A channel that reports value but no conversions is
    // read as it reports.
    boolean byConversion = campaignPerConversion > 0 && (conversions > 0 || total == 0);
    double perConversion =
        (total + PER_CONVERSION_PRIOR * campaignPerConversion)
            / (conversions + PER_CONVERSION_PRIOR)
            / typicalValue;
    for (int j = 0; j < m; j++) {
      spend[j] = buckets.get(j).spend();
      value[j] =
          byConversion
              ? buckets.get(j).conversions() * perConversion
              : valueOf(buckets.get(j)) / typicalValue;
    }
    // The second-newest bucket is the newest one surely complete; its evidence joins memory.
    int settled = m - 2;
    int fingerprint = settled >= 0 ? fingerprint(buckets.get(settled)) : 0;
    boolean fresh = before == null;
    boolean arrived = !fresh && settled >= 0 && before.fingerprint() != fingerprint;

    // Every shape's filter runs through the window side by side, bucket by bucket: the filters
    // are independent, so the processor overlaps them instead of waiting on one chain.
    Belief belief = new Belief(typicalValue);
    double[][] h = new double[CURVES.length * CARRYOVERS.length][m];
    double[] shapePrior = new double[SHAPES];
    double[] inverseDecay = new double[SHAPES];
    double[] level = new double[SHAPES];
    double[] variance = new double[SHAPES];
    double[] noise = new double[SHAPES];
    double[] scale = new double[SHAPES];
    double[] logScale = new double[SHAPES];
    double[] surprise = new double[SHAPES];
    double[] carried = new double[SHAPES];
    int pair = 0;
    for (double[] curve : CURVES) {
      double exponent = curve[0];
      double half = curve[1] * typical;
      double prior = CURVE_PRIORS[pair / CARRYOVERS.length];
      for (double carry : CARRYOVERS) {
        double stock = m > 0 ? spend[0] * carry / (1 - carry) : 0;
        double[] row = h[pair];
        for (int j = 0; j < m; j++) {
          stock = spend[j] + carry * stock;
          row[j] = hill(stock, half, exponent);
        }
        double atTypical = hill(typical / (1 - carry), half, exponent);
        int steadyShape = WINDOWED + pair;
        shapePrior[steadyShape] = prior;
        carried[steadyShape] = carry * stock;
        belief.half[steadyShape] = half;
        belief.exponent[steadyShape] = exponent;
        for (int speed = 0; speed < SPEEDS; speed++) {
          int k = pair * SPEEDS + speed;
          shapePrior[k] = prior;
          inverseDecay[k] = 1 / decays[speed];
          level[k] = 1 / atTypical;
          variance[k] = PRIOR_SPREAD * PRIOR_SPREAD / (atTypical * atTypical);
          noise[k] = PRIOR_NOISE * PRIOR_NOISE;
          scale[k] = 1;
          carried[k] = carry * stock;
          belief.half[k] = half;
          belief.exponent[k] = exponent;
        }
        pair++;
      }
    }

    // Only two buckets' scores are needed each run, the settled one (for memory) and the
    // newest; the whole window's only when the channel is new to the state.
    double[] settledQ = new double[SHAPES];
    double[] settledZ = new double[SHAPES];
    double[] newestQ = new double[SHAPES];
    double[] newestZ = new double[SHAPES];
    double[] freshScore = new double[SHAPES];
    // Each windowed filter's state after the settled bucket, where the steady filters start;
    // with no settled bucket, the prior.
    double[] settledLevel = Arrays.copyOf(level, WINDOWED);
    double[] settledVariance = Arrays.copyOf(variance, WINDOWED);
    double[] settledNoise = Arrays.copyOf(noise, WINDOWED);
    double settledDegrees = 2;
    // The noise estimate's degrees of freedom grow the same way under every shape.
    double degrees = 2;
    for (int j = 0; j < m; j++) {
      double v = value[j];
      degrees = NOISE_DECAY * degrees + 1;
      double inverseDegrees = 1 / degrees;
      boolean atSettled = j == settled;
      if (atSettled) {
        settledDegrees = degrees;
      }
      boolean atNewest = j == m - 1;
      for (int k = 0; k < WINDOWED; k++) {
        double x = h[k / SPEEDS][j];
        double spread = variance[k] * inverseDecay[k];
        double n = noise[k];
        double q = x * x * spread + n;
        double inverseQ = 1 / q;
        double error = v - x * level[k];
        double z2 = error * error * inverseQ;
        if (z2 > JUMP) {
          // A result far outside the prediction reads as a change of level, not as evidence
          // against the shape: the level's uncertainty is widened before the bucket is scored.
          spread *= WIDEN;
          q = x * x * spread + n;
          inverseQ = 1 / q;
          z2 = error * error * inverseQ;
        }
        // Results are heavy-tailed (a few big customers, a lucky day): past two standard
        // errors a bucket counts no further against a shape, as in a Huber loss.
        double counted = Math.min(z2, MAX_SURPRISE);
        if (fresh && j <= settled) {
          // A product of variances, renormalised now and then, saves a logarithm per bucket.
          double product = scale[k] * q;
          if (product > 1e100 || product < 1e-100) {
            logScale[k] += StrictMath.log(product);
            product = 1;
          }
          scale[k] = product;
          surprise[k] += counted;
        }
        if (atSettled) {
          settledQ[k] = q;
          settledZ[k] = counted;
        }
        if (atNewest) {
          newestQ[k] = q;
          newestZ[k] = counted;
        }
        double gain = spread * x * inverseQ;
        level[k] += gain * error;
        // The noise estimate moves by this factor, and the level's variance, which is in units
        // of the noise, with it; the factor is at least two thirds, so it never reaches zero.
        double factor = 1 + inverseDegrees * (z2 - 1);
        variance[k] = (spread - gain * gain * q) * factor;
        noise[k] = Math.max(1e-6, n * factor);
        if (atSettled) {
          settledLevel[k] = level[k];
          settledVariance[k] = variance[k];
          settledNoise[k] = noise[k];
        }
      }
    }
    if (fresh && settled >= 0) {
      for (int k = 0; k < WINDOWED; k++) {
        freshScore[k] = -0.5 * (logScale[k] + StrictMath.log(scale[k])) - 0.5 * surprise[k];
      }
    }

    double[] steady =
        steady(
            fresh ? null : before.steady(),
            arrived,
            settled,
            h,
            value,
            typical,
            typicalValue,
            new double[][] {level, variance},
            new double[][] {freshScore, settledQ, settledZ, newestQ, newestZ},
            new double[][] {settledLevel, settledVariance, settledNoise},
            settledDegrees);

    double[] memory = new double[SHAPES];
    for (int k = 0; k < SHAPES; k++) {
      if (fresh) {
        memory[k] = freshScore[k];
      } else if (arrived) {
        double score = -0.5 * StrictMath.log(settledQ[k]) - 0.5 * settledZ[k];
        memory[k] = settings.shapeMemory() * before.evidence()[k] + score;
      } else {
        memory[k] = before.evidence()[k];
      }
    }
    // The evidence as the state keeps it, rounded, so that a rerun within the bucket, which
    // reads it back, weighs the shapes exactly alike.
    belief.memory =
        ModelState.stored(new ModelState.Memory(fingerprint, relative(memory), steady));
    for (int k = 0; k < SHAPES; k++) {
      double newest = m > 0 ? -0.5 * StrictMath.log(newestQ[k]) - 0.5 * newestZ[k] : 0;
      belief.carried[k] = carried[k];
      belief.level[k] = level[k];
      belief.variance[k] = variance[k];
      belief.logWeights[k] = shapePrior[k] + belief.memory.evidence()[k] + newest;
    }
    belief.normalise();
    return belief;
  }

  /**
   * Runs the steady filters, one per curve, which unlike the windowed ones carry their level
   * from run to run and so keep sharpening while a channel stays the same: each complete bucket
   * is folded in once, when it arrives, and the newest bucket only for this run's decision. A
   * steady filter starts from the slow windowed filter's reading of the window, and at a result
   * far off its prediction (a change of level) takes that filter's level again, since that
   * filter has followed the change. Levels are kept in units of value, so that a window whose
   * typical value moves does not move them; a change of the typical spend changes every curve,
   * and the steady filters start over.
   *
   * <p>Writes each steady shape's level and variance into {@code filtered} and its scores into
   * {@code scores} (fresh score, settled bucket's predictive variance and counted error, the
   * same for the newest), beside the windowed shapes' own, and returns the state to keep: level,
   * the standard deviations of level and noise per curve, then degrees and the typical
   * spend, rounded as the state keeps them. {@code kept} is the state
   * kept last run, or null; {@code slowAtSettled} the windowed filters' levels, variances and
   * noises after the settled bucket.
   */
  private double[] steady(
      double[] kept,
      boolean arrived,
      int settled,
      double[][] h,
      double[] value,
      double typical,
      double unit,
      double[][] filtered,
      double[][] scores,
      double[][] slowAtSettled,
      double degreesAtSettled) {
    int m = value.length;
    double[] lvl = new double[PAIRS];
    double[] var = new double[PAIRS];
    double[] nse = new double[PAIRS];
    double[] q = new double[PAIRS];
    double[] z = new double[PAIRS];
    double degrees;
    if (kept == null || Math.abs(kept[STEADY_SIZE - 1] / typical - 1) > 1e-6) {
      // A steady filter starts from the slow windowed filter's reading of the window, scored as
      // that filter was.
      for (int c = 0; c < PAIRS; c++) {
        int slow = c * SPEEDS + SPEEDS - 1;
        lvl[c] = slowAtSettled[0][slow];
        var[c] = slowAtSettled[1][slow];
        nse[c] = slowAtSettled[2][slow];
        scores[0][WINDOWED + c] = scores[0][slow];
        scores[1][WINDOWED + c] = scores[1][slow];
        scores[2][WINDOWED + c] = scores[2][slow];
      }
      degrees = degreesAtSettled;
    } else {
      degrees = read(kept, unit, lvl, var, nse);
      if (arrived) {
        degrees = NOISE_DECAY * degrees + 1;
        fold(lvl, var, nse, h, settled, value[settled], 1 / degrees, q, z, slowAtSettled);
        for (int c = 0; c < PAIRS; c++) {
          scores[1][WINDOWED + c] = q[c];
          scores[2][WINDOWED + c] = z[c];
        }
      }
    }
    double[] next = new double[STEADY_SIZE];
    for (int c = 0; c < PAIRS; c++) {
      next[STEADY_FIELDS * c] = lvl[c] * unit;
      next[STEADY_FIELDS * c + 1] = Math.sqrt(var[c]) * unit;
      next[STEADY_FIELDS * c + 2] = Math.sqrt(nse[c]) * unit;
    }
    next[STEADY_SIZE - 2] = degrees;
    next[STEADY_SIZE - 1] = typical;
    // This run goes on from the state as it is kept, rounded, as a rerun within the bucket does.
    next = ModelState.stored(new ModelState.Memory(0, new double[0], next)).steady();
    degrees = read(next, unit, lvl, var, nse);
    if (m > 0) {
      fold(lvl, var, nse, h, m - 1, value[m - 1], 1 / (NOISE_DECAY * degrees + 1), q, z,
          filtered);
      for (int c = 0; c < PAIRS; c++) {
        scores[3][WINDOWED + c] = q[c];
        scores[4][WINDOWED + c] = z[c];
      }
    }
    for (int c = 0; c < PAIRS; c++) {
      filtered[0][WINDOWED + c] = lvl[c];
      filtered[1][WINDOWED + c] = var[c];
    }
    return next;
  }

  /**
   * Reads kept steady filters into levels, variances and noises in this run's units of value;
   * returns the noise estimate's degrees of freedom. Spreads are kept as standard deviations,
   * which fit a 32-bit float at any scale of money that fits a long.
   */
  private static double read(
      double[] kept, double unit, double[] level, double[] variance, double[] noise) {
    for (int c = 0; c < PAIRS; c++) {
      level[c] = kept[STEADY_FIELDS * c] / unit;
      double spread = kept[STEADY_FIELDS * c + 1] / unit;
      double scatter = kept[STEADY_FIELDS * c + 2] / unit;
      variance[c] = spread * spread;
      noise[c] = Math.max(1e-6, scatter * scatter);
    }
    return Math.max(2, kept[STEADY_SIZE - 2]);
  }

  /**
   * Folds bucket {@code j} into every steady filter, writing each one's predictive variance and
   * counted error; {@code slowAfter} holds the windowed filters' levels and variances after the
   * same bucket.
   */
  private void fold(
      double[] level,
      double[] variance,
      double[] noise,
      double[][] h,
      int j,
      double v,
      double inverseDegrees,
      double[] qOut,
      double[] zOut,
      double[][] slowAfter) {
    for (int c = 0; c < level.length; c++) {
      double x = h[c][j];
      double spread = variance[c] * steadyInverseDecay;
      double n = noise[c];
      double q = x * x * spread + n;
      double error = v - x * level[c];
      double z2 = error * error / q;
      if (z2 > JUMP) {
        // A change of level, scored as the windowed filters score one; the slow windowed filter
        // of the same curve has followed it, so the steady one takes its level.
        q = x * x * spread * WIDEN + n;
        qOut[c] = q;
        zOut[c] = Math.min(error * error / q, MAX_SURPRISE);
        int slow = c * SPEEDS + SPEEDS - 1;
        level[c] = slowAfter[0][slow];
        variance[c] = slowAfter[1][slow];
        continue;
      }
      double gain = spread * x / q;
      level[c] += gain * error;
      double factor = 1 + inverseDegrees * (z2 - 1);
      variance[c] = (spread - gain * gain * q) * factor;
      noise[c] = Math.max(1e-6, n * factor);
      qOut[c] = q;
      zOut[c] = Math.min(z2, MAX_SURPRISE);
    }
  }

  /** Log-evidence relative to the best shape, with a floor, as memory keeps it. */
  private static double[] relative(double[] evidence) {
    double top = Double.NEGATIVE_INFINITY;
    for (double e : evidence) {
      top = Math.max(top, e);
    }
    double[] out = new double[evidence.length];
    for (int k = 0; k < evidence.length; k++) {
      out[k] = Math.max(-MAX_DEFICIT, evidence[k] - top);
    }
    return out;
  }

  private static int fingerprint(WindowBucket bucket) {
    int hash = Long.hashCode(bucket.spend());
    hash = 31 * hash + Long.hashCode(bucket.clicks());
    hash = 31 * hash + Long.hashCode(bucket.conversions());
    hash = 31 * hash + Long.hashCode(bucket.revenue());
    return 31 * hash + Long.hashCode(bucket.lifetimeValue());
  }

  static double hill(double x, double half, double exponent) {
    if (x <= 0) {
      return 0;
    }
    if (exponent == 1) {
      return x / (x + half);
    }
    double r = x / half;
    double p = exponent == 2 ? r * r : StrictMath.pow(r, exponent);
    return p / (1 + p);
  }

  /** One channel's posterior over the shape grid, each shape with its filtered level. */
  private static final class Belief {
    final double unit;
    final double[] half = new double[SHAPES];
    final double[] exponent = new double[SHAPES];
    final double[] carried = new double[SHAPES];
    final double[] level = new double[SHAPES];
    final double[] variance = new double[SHAPES];
    final double[] logWeights = new double[SHAPES];
    final double[] probability = new double[SHAPES];
    ModelState.Memory memory;

    Belief(double unit) {
      this.unit = unit;
    }

    void normalise() {
      double top = Double.NEGATIVE_INFINITY;
      for (double w : logWeights) {
        if (w > top) {
          top = w;
        }
      }
      double sum = 0;
      for (int k = 0; k < SHAPES; k++) {
        // Far below the best, a weight is nil; skipping exp there also avoids its slow path.
        double gap = logWeights[k] - top;
        probability[k] = gap < -40 ? 0 : StrictMath.exp(gap);
        sum += probability[k];
      }
      for (int k = 0; k < SHAPES; k++) {
        probability[k] /= sum;
      }
    }

    /** The average of {@code count} curves drawn from the posterior. */
    DoubleUnaryOperator draw(Draws draws, int count) {
      double[] b = new double[count];
      int[] shape = new int[count];
      for (int s = 0; s < count; s++) {
        double u = draws.uniform();
        int k = 0;
        double cumulative = probability[0];
        while (k < SHAPES - 1 && u > cumulative) {
          k++;
          cumulative += probability[k];
        }
        shape[s] = k;
        b[s] = unit * Math.max(0.0, level[k] + Math.sqrt(variance[k]) * draws.normal()) / count;
      }
      return x -> {
        double total = 0;
        for (int s = 0; s < count; s++) {
          int k = shape[s];
          total += b[s] * hill(x + carried[k], half[k], exponent[k]);
        }
        return total;
      };
    }

    /** The posterior expected value of next bucket for a spend. */
    double meanValue(double x) {
      double total = 0;
      for (int k = 0; k < SHAPES; k++) {
        if (probability[k] > NEGLIGIBLE) {
          total += probability[k] * level[k] * hill(x + carried[k], half[k], exponent[k]);
        }
      }
      return unit * total;
    }
  }
}
