package dev.spur.allocation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Learns each channel's response to spend and splits the budget where the learned responses
 * say it earns most over time, trying out what it knows little about.
 *
 * <p><b>What is learnt.</b> A channel's activity in a bucket (its clicks; its conversions when
 * it reports no clicks; its value when it reports neither) is {@code level * h(spend)}:
 * {@code h} is a Hill curve of the channel's adstock, the bucket's spend plus a share of the
 * adstock before it (carry-over), scaled so that a steady spend maps to itself. The curve's
 * shape (exponent, half-saturation spend and carry-over) is one of a grid; for each shape, two
 * Kalman filters track the level, one quick and one slow, so that a channel that changes is
 * followed and one that stays the same is learnt ever more closely. Each filter is weighed by
 * how well it predicted every bucket before seeing it, with a noise that grows with the count,
 * as a Poisson count's does, times a dispersion learnt per channel. What a unit of activity is
 * worth is the channel's lifetime value per unit over the window and over fading sums of the
 * buckets that have left it, shrunk toward the campaign's. Activity is learnt from clicks
 * because there are many more of them than conversions: the curve's shape shows in them far
 * sooner, while value per click carries what a click is worth.
 *
 * <p><b>Memory.</b> The filters are carried from run to run in the model state, each complete
 * bucket folded in once, when it is the second-newest in the window (the newest may still be
 * filling); the newest only informs the run's own decision. A channel new to the state starts
 * its filters from sums over its window, at once rather than bucket by bucket.
 *
 * <p><b>Decision.</b> Each run draws every channel's curve from its posterior (Thompson
 * sampling, each curve the average of {@code samples} draws), and takes the split that
 * maximises what the drawn curves return at a steady spend, on a grid inside the guardrails.
 * Valuing steady spend counts what carry-over brings in later buckets, which a split judged by
 * this bucket alone would miss. What it knows little about varies most from draw to draw, so
 * that is what gets tried, and the draws narrow as the filters sharpen.
 *
 * <p><b>Prior.</b> An unseen channel's expected curve passes through the campaign's own
 * activity per unit of spend at the typical spend, so it is neither starved nor favoured;
 * concave curves bending near the typical spend are favoured a priori over flat or S-shaped
 * ones.
 *
 * <p>Draws change only when a new bucket completes, so runs within one bucket differ only by
 * what the filling bucket adds.
 */
final class ResponseCurveAllocator implements Allocator {

  /** Hill exponents: 1 is concave throughout; above 1 is an S-curve. */
  private static final double[] EXPONENTS = {1, 1.5, 2};
  /** Half-saturation spends at a steady spend, as multiples of the typical spend. */
  private static final double[] HALVES = {0.3, 0.5, 0.8, 1.3, 2, 3.2};
  /** Shares of a bucket's adstock carried into the next. */
  private static final double[] CARRYOVERS = {0, 0.3};

  private static final int SHAPES = EXPONENTS.length * HALVES.length * CARRYOVERS.length;
  private static final int SPEEDS = 2;
  /** One level filter per shape and speed. */
  static final int FILTERS = SHAPES * SPEEDS;
  /**
   * Numbers kept per channel: each filter's level and its spread, then the adstock per
   * carry-over, the dispersion and its degrees of freedom, the typical spend the grid was
   * scaled to, the unit the channel is learnt in ({@link #BY_CONVERSIONS}, {@link #BY_CLICKS}
   * or {@link #BY_VALUE}), the fading sums of value and of units of the buckets that have left
   * the window, the window's length, and whether the window's oldest bucket is in those sums
   * already (1) or not (0).
   */
  static final int KEPT = 2 * FILTERS + CARRYOVERS.length + 8;

  private static final int ADSTOCK = 2 * FILTERS;
  private static final int DISPERSION = ADSTOCK + CARRYOVERS.length;
  static final int DEGREES = DISPERSION + 1;
  private static final int TYPICAL = DISPERSION + 2;
  static final int UNIT = DISPERSION + 3;
  static final int OLD_VALUE = DISPERSION + 4;
  private static final int OLD_UNITS = DISPERSION + 5;
  private static final int WINDOW = DISPERSION + 6;
  private static final int OLDEST_IN = DISPERSION + 7;

  /** The units a channel's activity is counted in, as its kept numbers record them. */
  private static final double BY_CONVERSIONS = 0;
  private static final double BY_CLICKS = 1;
  private static final double BY_VALUE = 2;

  /** Prior spread of the half-saturation spend around the typical spend, in log units. */
  private static final double HALF_SATURATION_SPREAD = 1.0;
  /** Prior odds of each S-shaped exponent against the concave one. */
  private static final double S_CURVE_ODDS = 0.55;
  /** Prior spread of a channel's level, relative to the level the campaign's average implies. */
  private static final double PRIOR_SPREAD = 1.0;
  /** Dispersion a channel starts from: its counts vary twice as much as Poisson counts. */
  private static final double PRIOR_DISPERSION = 2;
  /** The least dispersion believed: a little below Poisson, since rounding hides some noise. */
  private static final double MIN_DISPERSION = 0.3;
  /** The median of a squared standard normal variable. */
  private static final double MEDIAN_CHI_SQUARE = 0.4549364231195724;
  /** Discount of the dispersion estimate's degrees of freedom per bucket. */
  private static final double DISPERSION_DECAY = 0.99;
  /** The smallest expected count the noise is scaled to, so an idle channel still has noise. */
  private static final double NOISE_FLOOR = 0.5;
  /**
   * A squared standardised error beyond which a bucket is read as a change of level: five
   * standard errors. Below that, ordinary heavy-tailed noise would keep resetting the level.
   */
  private static final double JUMP = 25;
  /** How much a change of level widens the level's uncertainty before the bucket is taken in. */
  private static final double WIDEN = 10;
  /** The most one bucket's squared standardised error counts against a filter. */
  private static final double MAX_SURPRISE = 9;
  /** Evidence against a filter is capped, so that a filter can come back when things change. */
  private static final double MAX_DEFICIT = 20.0;
  /**
   * The share of their weight the sums of value and units of buckets past the window keep per
   * bucket: they count half after about 70 buckets, so a channel whose customers change is
   * followed while value per click, a noisy figure, is read from far more than one window.
   */
  private static final double VALUE_MEMORY = 0.99;
  /** Conversions' worth of the campaign's value per unit that a channel's own is shrunk to. */
  private static final double PER_UNIT_PRIOR = 2;
  /** Filters this improbable are left out of the expected curve, to save time. */
  private static final double NEGLIGIBLE = 1e-3;
  /**
   * The most the typical spend may move, as a factor, before the grid no longer fits it and the
   * channel's filters start again from its window.
   */
  private static final double RESCALE = 2;
  /** Room for the rounding of the typical spend as the state keeps it (0.05% at most). */
  private static final double SLACK = 1.001;

  private static final double[] SHAPE_PRIORS = shapePriors();
  private static final double[] SHAPE_EXPONENT = new double[SHAPES];
  private static final double[] SHAPE_HALF = new double[SHAPES];
  private static final double[] SHAPE_INVERSE_HALF = new double[SHAPES];
  private static final int[] SHAPE_CARRY = new int[SHAPES];

  static {
    int s = 0;
    for (double exponent : EXPONENTS) {
      for (double half : HALVES) {
        for (int c = 0; c < CARRYOVERS.length; c++) {
          SHAPE_EXPONENT[s] = exponent;
          SHAPE_HALF[s] = half;
          SHAPE_INVERSE_HALF[s] = 1 / half;
          SHAPE_CARRY[s] = c;
          s++;
        }
      }
    }
  }

  private static double[] shapePriors() {
    double[] priors = new double[SHAPES];
    int s = 0;
    for (double exponent : EXPONENTS) {
      for (double half : HALVES) {
        double logHalf = StrictMath.log(half) / HALF_SATURATION_SPREAD;
        double shape = exponent == 1 ? 0 : StrictMath.log(S_CURVE_ODDS);
        double prior = -0.5 * logHalf * logHalf + shape;
        for (int c = 0; c < CARRYOVERS.length; c++) {
          priors[s++] = prior;
        }
      }
    }
    return priors;
  }

  private final LearningSettings settings;
  /** Per filter: the factor its level's variance grows by per bucket, from its speed. */
  private final double[] inverseDecay = new double[FILTERS];

  ResponseCurveAllocator(LearningSettings settings) {
    this.settings = settings;
    double quick = StrictMath.pow(0.5, -1.0 / settings.quickHalfLife());
    double slow = StrictMath.pow(0.5, -1.0 / settings.slowHalfLife());
    for (int f = 0; f < FILTERS; f++) {
      inverseDecay[f] = f % SPEEDS == 0 ? quick : slow;
    }
  }

  @Override
  public Allocation allocate(AllocationRequest request) {
    Envelope envelope = Envelope.of(request);
    List<ChannelWindow> channels = request.channels();
    int n = channels.size();
    ModelState state = ModelState.parse(request.modelState(), FILTERS, KEPT, request.seed());

    int enabled = 0;
    for (ChannelWindow channel : channels) {
      enabled += channel.enabled() ? 1 : 0;
    }
    double typical = Math.max(1.0, (double) request.budget() / Math.max(1, enabled));
    Campaign campaign = Campaign.of(channels);

    Belief[] beliefs = new Belief[n];
    Map<String, ModelState.Memory> kept = new HashMap<>();
    boolean arrived = false;
    for (int i = 0; i < n; i++) {
      ChannelWindow channel = channels.get(i);
      ModelState.Memory before = state.memory(channel.channel());
      if (channel.enabled()) {
        beliefs[i] = fit(channel, typical, campaign, before);
        kept.put(channel.channel(), beliefs[i].memory);
        arrived |= before == null || beliefs[i].arrived;
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
          beliefs[i] == null
              ? ""
              : driver(beliefs[i], envelope.littleData(i), amounts[i], campaign.valuePerSpend);
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

  /** The campaign's totals over the window, which priors and shrinkage lean on. */
  private record Campaign(
      double valuePerSpend,
      double clicksPerSpend,
      double conversionsPerSpend,
      double valuePerClick,
      double valuePerConversion,
      double clicksPerConversion) {

    static Campaign of(List<ChannelWindow> channels) {
      double spend = 0;
      double value = 0;
      double clicks = 0;
      double conversions = 0;
      for (ChannelWindow channel : channels) {
        for (WindowBucket bucket : channel.buckets()) {
          spend += bucket.spend();
          value += valueOf(bucket);
          clicks += bucket.clicks();
          conversions += bucket.conversions();
        }
      }
      return new Campaign(
          spend > 0 && value > 0 ? value / spend : 1.0,
          spend > 0 ? clicks / spend : 0,
          spend > 0 ? conversions / spend : 0,
          clicks > 0 ? value / clicks : 0,
          conversions > 0 ? value / conversions : 0,
          conversions > 0 && clicks > 0 ? clicks / conversions : 1);
    }
  }

  private static double valueOf(WindowBucket bucket) {
    return Math.max(bucket.lifetimeValue(), bucket.revenue());
  }

  /**
   * Brings one channel's filters up to its newest complete bucket, then reads the newest bucket
   * for this run's decision, and returns what the channel is believed to return.
   */
  private Belief fit(
      ChannelWindow channel, double typical, Campaign campaign, ModelState.Memory before) {
    List<WindowBucket> buckets = channel.buckets();
    int m = buckets.size();
    long newest = channel.newestBucket();
    boolean numbered = newest >= 0;
    if (before != null && before.numbered() && (!numbered || before.next() - newest > m)) {
      // Kept by bucket number, for a window that gives none, or more than a window ahead of
      // this one, as no replay of a recent run is: which buckets are new cannot be told, and a
      // number far ahead would keep every bucket out until the windows caught up with it, so
      // the channel starts again from its window.
      before = null;
    }
    // In doubles: a window of large figures may pass what a long holds, and a sum wrapped
    // negative would count a channel of enormous clicks in conversions.
    double clicks = 0;
    double conversions = 0;
    for (WindowBucket bucket : buckets) {
      clicks += bucket.clicks();
      conversions += bucket.conversions();
    }

    // Activity is counted in clicks where the channel reports them, else in conversions; a
    // channel that reports value but neither is read as value in the campaign's units.
    double[] kept = before == null ? null : before.numbers();
    boolean byClicks =
        kept != null && kept[UNIT] == BY_CLICKS
            ? clicks > 0
            : clicks > 0 && clicks >= conversions;
    // The second-newest bucket is the newest one surely complete; it joins memory once. Where
    // the window numbers its buckets, the memory keeps the number of the first one not yet
    // taken in, and complete buckets from that one on are new; a window older than that, as a
    // replay of an earlier run gives, brings nothing new. Otherwise buckets are known by their
    // figures.
    int settled = m - 2;
    int fingerprint = 0;
    long next = numbered ? newest : -1;
    boolean arrived;
    int from = 0;
    if (numbered && before != null && before.numbered()) {
      arrived = settled >= 0 && before.next() < newest;
      next = Math.max(before.next(), newest);
      if (arrived) {
        from = (int) Math.max(0, before.next() - newest + m - 1);
      }
    } else {
      int settledFingerprint = settled >= 0 ? fingerprint(buckets.get(settled)) : 0;
      arrived = settled >= 0 && (before == null || before.fingerprint() != settledFingerprint);
      if (arrived && before != null) {
        // Buckets completed since the last run: those after the last one taken in, or, when
        // that one has left the window, every complete bucket in it.
        for (int j = settled - 1; j >= 0; j--) {
          if (fingerprint(buckets.get(j)) == before.fingerprint()) {
            from = j + 1;
            break;
          }
        }
      }
      if (!numbered) {
        fingerprint = settled < 0 && before != null ? before.fingerprint() : settledFingerprint;
      }
    }

    // Value per unit: the window's, with the fading sums of the buckets that have left it. When
    // a new bucket arrives and the window has kept its length, so that it slid, its oldest
    // bucket joins those sums, as late as it is seen, when its customers' lifetime value has
    // grown the most; until the window slides again, that bucket counts through the sums only.
    // Sums in conversions serve a channel learnt from value alone too: its units are none.
    boolean sameUnit = kept != null && (kept[UNIT] == BY_CLICKS) == byClicks;
    double oldValue = sameUnit ? kept[OLD_VALUE] : 0;
    double oldUnits = sameUnit ? kept[OLD_UNITS] : 0;
    boolean sameLength = sameUnit && m > 1 && kept[WINDOW] == ModelState.rounded(m);
    boolean oldestIn = arrived ? sameLength : sameLength && kept[OLDEST_IN] == 1;
    int first = oldestIn ? 1 : 0;
    if (oldestIn && arrived) {
      // Rounded as the state keeps them, so that a rerun within the bucket reads the same sums.
      WindowBucket leaving = buckets.get(0);
      oldValue = ModelState.rounded(VALUE_MEMORY * oldValue + valueOf(leaving));
      oldUnits =
          ModelState.rounded(
              VALUE_MEMORY * oldUnits + (byClicks ? leaving.clicks() : leaving.conversions()));
    }
    double value = oldValue;
    double units = oldUnits;
    for (int j = first; j < m; j++) {
      WindowBucket bucket = buckets.get(j);
      value += valueOf(bucket);
      units += byClicks ? bucket.clicks() : bucket.conversions();
    }
    double campaignPerUnit =
        byClicks ? campaign.valuePerClick : campaign.valuePerConversion;
    double priorUnits = PER_UNIT_PRIOR * (byClicks ? campaign.clicksPerConversion : 1);
    double perUnit;
    boolean byValue = units == 0 && value > 0;
    double unit = byValue ? BY_VALUE : byClicks ? BY_CLICKS : BY_CONVERSIONS;
    if (byValue) {
      perUnit = 1;
    } else {
      perUnit = (value + priorUnits * campaignPerUnit) / (units + priorUnits);
    }
    double[] count = new double[m];
    long[] spend = new long[m];
    for (int j = 0; j < m; j++) {
      WindowBucket bucket = buckets.get(j);
      spend[j] = bucket.spend();
      count[j] = byValue ? valueOf(bucket) : byClicks ? bucket.clicks() : bucket.conversions();
    }

    Filters filters;
    boolean restart =
        kept == null
            || kept[UNIT] != unit
            || kept[TYPICAL] > RESCALE * SLACK * typical
            || typical > RESCALE * SLACK * kept[TYPICAL];
    if (restart) {
      double perSpend =
          byValue
              ? campaign.valuePerSpend
              : byClicks ? campaign.clicksPerSpend : campaign.conversionsPerSpend;
      filters = Filters.prior(perSpend * typical, typical, spend.length > 0 ? spend[0] : 0);
      filters.unit = unit;
      start(filters, spend, count, settled + 1);
    } else {
      filters = Filters.read(kept, before.evidence());
      if (arrived) {
        for (int j = from; j <= settled; j++) {
          fold(filters, spend[j], count[j]);
        }
      }
    }
    filters.relativeEvidence();
    filters.oldValue = oldValue;
    filters.oldUnits = oldUnits;
    filters.window = m;
    filters.oldestIn = oldestIn;

    // This run goes on from the filters as the state keeps them, rounded, as a rerun within the
    // bucket does; the newest bucket is then read on a copy for this run's decision only.
    ModelState.Memory memory =
        ModelState.stored(
            new ModelState.Memory(fingerprint, next, filters.evidence, filters.kept()));
    Filters decided = Filters.read(memory.numbers(), memory.evidence());
    if (m > 0) {
      fold(decided, spend[m - 1], count[m - 1]);
    }
    return new Belief(decided, perUnit, memory, arrived);
  }

  /**
   * Starts a channel's filters from the first {@code m} buckets of its window at once, from sums
   * rather than bucket by bucket, which is what keeps a first run cheap. For each shape, each
   * speed's level is the weighted least-squares fit to the buckets with the prior as one more
   * observation, each bucket weighted by the inverse of its noise and by how much the speed has
   * forgotten it; its variance is what that fit leaves. Both speeds start with the slow fit's
   * evidence, the probability of the buckets under the shape with a level fixed across them, so
   * that which speed suits the channel is learnt from the buckets that follow. The dispersion
   * starts from the best shape's errors.
   */
  private void start(Filters filters, long[] spend, double[] count, int m) {
    if (m <= 0) {
      return;
    }
    double inverseTypical = 1 / filters.typical;
    double[][] steady = new double[CARRYOVERS.length][m];
    for (int c = 0; c < CARRYOVERS.length; c++) {
      double stock = filters.adstock[c];
      for (int j = 0; j < m; j++) {
        stock = spend[j] + CARRYOVERS[c] * stock;
        steady[c][j] = (1 - CARRYOVERS[c]) * stock * inverseTypical;
      }
      filters.adstock[c] = stock;
    }
    // Every bucket's noise is taken as the average bucket's: weighing each by its own count
    // would favour the unlucky ones and bias the level down.
    double average = 0;
    for (int j = 0; j < m; j++) {
      average += count[j] / m;
    }
    double inverseNoise = 1 / (filters.dispersion * Math.max(average, NOISE_FLOOR));
    double[][] weight = new double[SPEEDS][m];
    double[] squares = new double[SPEEDS];
    for (int speed = 0; speed < SPEEDS; speed++) {
      double decay = 1 / inverseDecay[speed];
      double w = 1;
      for (int j = m - 1; j >= 0; j--) {
        weight[speed][j] = w * inverseNoise;
        squares[speed] += weight[speed][j] * count[j] * count[j];
        w *= decay;
      }
    }
    double[] sxx = new double[SPEEDS];
    double[] sxy = new double[SPEEDS];
    double[] x = new double[m];
    int best = -1;
    double bestEvidence = Double.NEGATIVE_INFINITY;
    for (int s = 0; s < SHAPES; s++) {
      double[] row = steady[SHAPE_CARRY[s]];
      double inverseHalf = SHAPE_INVERSE_HALF[s];
      double exponent = SHAPE_EXPONENT[s];
      hills(row, inverseHalf, exponent, x, m);
      for (int speed = 0; speed < SPEEDS; speed++) {
        double[] w = weight[speed];
        double a = 0;
        double b = 0;
        for (int j = 0; j < m; j++) {
          double wx = w[j] * x[j];
          a += wx * x[j];
          b += wx * count[j];
        }
        sxx[speed] = a;
        sxy[speed] = b;
      }
      double evidence = 0;
      for (int speed = SPEEDS - 1; speed >= 0; speed--) {
        int f = s * SPEEDS + speed;
        double priorVariance = filters.variance[f];
        double priorLevel = filters.level[f];
        double precision = 1 / priorVariance + sxx[speed];
        double level = (priorLevel / priorVariance + sxy[speed]) / precision;
        if (speed == SPEEDS - 1) {
          evidence =
              -0.5
                  * (FastLog.log(1 + priorVariance * sxx[speed])
                      + squares[speed]
                      + priorLevel * priorLevel / priorVariance
                      - precision * level * level);
          if (evidence > bestEvidence) {
            bestEvidence = evidence;
            best = s;
          }
        }
        filters.level[f] = level;
        filters.variance[f] = 1 / precision;
        filters.evidence[f] = evidence;
      }
    }

    // The dispersion: the median of the best shape's squared errors against Poisson noise,
    // over the median of a squared standard normal, which a jump in the window does not sway.
    double[] row = steady[SHAPE_CARRY[best]];
    double level = filters.level[best * SPEEDS + SPEEDS - 1];
    double[] ratios = new double[m];
    for (int j = 0; j < m; j++) {
      double mean = level * hill(row[j] * SHAPE_INVERSE_HALF[best], SHAPE_EXPONENT[best]);
      double error = count[j] - mean;
      ratios[j] = error * error / Math.max(mean, NOISE_FLOOR);
    }
    Arrays.sort(ratios);
    double median = m % 2 == 1 ? ratios[m / 2] : (ratios[m / 2 - 1] + ratios[m / 2]) / 2;
    filters.degrees = 2 + m;
    filters.dispersion =
        Math.max(
            MIN_DISPERSION,
            (2 * filters.dispersion + m * median / MEDIAN_CHI_SQUARE) / filters.degrees);
  }

  /** Takes one complete bucket into every filter. */
  private void fold(Filters filters, double spend, double count) {
    double[] stock = filters.adstock;
    double[] steady = new double[CARRYOVERS.length];
    double inverseTypical = 1 / filters.typical;
    for (int c = 0; c < CARRYOVERS.length; c++) {
      stock[c] = spend + CARRYOVERS[c] * stock[c];
      steady[c] = (1 - CARRYOVERS[c]) * stock[c] * inverseTypical;
    }
    double[] x = new double[SHAPES];
    for (int s = 0; s < SHAPES; s++) {
      x[s] = hill(steady[SHAPE_CARRY[s]] * SHAPE_INVERSE_HALF[s], SHAPE_EXPONENT[s]);
    }
    double[] level = filters.level;
    double[] variance = filters.variance;
    double[] evidence = filters.evidence;
    double memory = settings.shapeMemory();
    double dispersion = filters.dispersion;

    // The best filter so far measures the dispersion: its error against Poisson noise.
    int best = 0;
    for (int f = 1; f < FILTERS; f++) {
      if (evidence[f] > evidence[best]) {
        best = f;
      }
    }
    double bestMean = x[best / SPEEDS] * level[best];
    double bestError = count - bestMean;
    double bestRatio = bestError * bestError / (dispersion * Math.max(bestMean, NOISE_FLOOR));

    for (int f = 0; f < FILTERS; f++) {
      double xf = x[f / SPEEDS];
      double spread = variance[f] * inverseDecay[f];
      double mean = xf * level[f];
      double noise = dispersion * Math.max(mean, NOISE_FLOOR);
      double q = xf * xf * spread + noise;
      double inverseQ = 1 / q;
      double error = count - mean;
      double z2 = error * error * inverseQ;
      if (z2 > JUMP) {
        // A result far outside the prediction reads as a change of level, not as evidence
        // against the shape: the level's uncertainty is widened before the bucket is scored.
        spread *= WIDEN;
        q = xf * xf * spread + noise;
        inverseQ = 1 / q;
        z2 = error * error * inverseQ;
      }
      evidence[f] = memory * evidence[f] - 0.5 * (FastLog.log(q) + Math.min(z2, MAX_SURPRISE));
      double gain = spread * xf * inverseQ;
      level[f] += gain * error;
      variance[f] = spread * noise * inverseQ;
    }
    filters.degrees = DISPERSION_DECAY * filters.degrees + 1;
    filters.dispersion =
        Math.max(
            MIN_DISPERSION,
            dispersion * (1 + (Math.min(bestRatio, JUMP) - 1) / filters.degrees));
  }

  /**
   * A bucket's contents mixed into 32 bits, every figure through a full 64-bit mix, so that
   * buckets that differ only a little, as consecutive days do, do not share one by the
   * arithmetic of a plain polynomial hash. Two buckets with the same figures do share one: a
   * bucket exactly like the one taken in before it is not taken in again.
   */
  private static int fingerprint(WindowBucket bucket) {
    long hash = Draws.mix(bucket.spend(), bucket.clicks());
    hash = Draws.mix(hash, bucket.conversions());
    hash = Draws.mix(hash, bucket.revenue());
    hash = Draws.mix(hash, bucket.lifetimeValue());
    return (int) (hash ^ (hash >>> 32));
  }

  /**
   * The Hill curve of each of the first {@code m} spends, given as multiples of the typical
   * spend, into {@code out}: one loop per exponent, with no branch inside, so that the
   * processor can take several spends at once.
   */
  private static void hills(
      double[] spends, double inverseHalf, double exponent, double[] out, int m) {
    if (exponent == 1) {
      for (int j = 0; j < m; j++) {
        double r = spends[j] * inverseHalf;
        out[j] = r / (1 + r);
      }
    } else if (exponent == 2) {
      for (int j = 0; j < m; j++) {
        double r = spends[j] * inverseHalf;
        double p = r * r;
        out[j] = p / (1 + p);
      }
    } else {
      for (int j = 0; j < m; j++) {
        double r = spends[j] * inverseHalf;
        double p = r * Math.sqrt(r);
        out[j] = p / (1 + p);
      }
    }
  }

  /** A Hill curve at {@code r}, the spend as a multiple of the half-saturation spend. */
  static double hill(double r, double exponent) {
    if (r <= 0) {
      return 0;
    }
    double p = exponent == 1 ? r : exponent == 2 ? r * r : r * Math.sqrt(r);
    return p / (1 + p);
  }

  /** One channel's level filters, in the units its activity is counted in. */
  private static final class Filters {
    final double[] level = new double[FILTERS];
    final double[] variance = new double[FILTERS];
    final double[] evidence = new double[FILTERS];
    final double[] adstock = new double[CARRYOVERS.length];
    double dispersion;
    double degrees;
    double typical;
    double unit;
    double oldValue;
    double oldUnits;
    int window;
    boolean oldestIn;

    /**
     * Filters that know only the prior: the expected count at the typical spend is {@code
     * atTypical}; the adstock starts as if {@code firstSpend} had always been spent.
     */
    static Filters prior(double atTypical, double typical, double firstSpend) {
      Filters filters = new Filters();
      double expected = Math.max(atTypical, NOISE_FLOOR);
      for (int s = 0; s < SHAPES; s++) {
        double h = hill(1 / SHAPE_HALF[s], SHAPE_EXPONENT[s]);
        for (int speed = 0; speed < SPEEDS; speed++) {
          int f = s * SPEEDS + speed;
          filters.level[f] = expected / h;
          filters.variance[f] = Math.pow(PRIOR_SPREAD * expected / h, 2);
        }
      }
      for (int c = 0; c < CARRYOVERS.length; c++) {
        filters.adstock[c] = firstSpend * CARRYOVERS[c] / (1 - CARRYOVERS[c]);
      }
      filters.dispersion = PRIOR_DISPERSION;
      filters.degrees = 2;
      filters.typical = typical;
      return filters;
    }

    /** Filters from kept numbers and evidence. */
    static Filters read(double[] kept, double[] evidence) {
      Filters filters = new Filters();
      for (int f = 0; f < FILTERS; f++) {
        filters.level[f] = kept[2 * f];
        double spread = kept[2 * f + 1];
        filters.variance[f] = spread * spread;
      }
      System.arraycopy(evidence, 0, filters.evidence, 0, FILTERS);
      System.arraycopy(kept, ADSTOCK, filters.adstock, 0, CARRYOVERS.length);
      filters.dispersion = Math.max(MIN_DISPERSION, kept[DISPERSION]);
      filters.degrees = Math.max(2, kept[DEGREES]);
      filters.typical = Math.max(1, kept[TYPICAL]);
      filters.unit = kept[UNIT];
      filters.oldValue = kept[OLD_VALUE];
      filters.oldUnits = kept[OLD_UNITS];
      filters.window = (int) kept[WINDOW];
      filters.oldestIn = kept[OLDEST_IN] == 1;
      return filters;
    }

    /** The numbers to keep; spreads as standard deviations, which fit a float at any scale. */
    double[] kept() {
      double[] kept = new double[KEPT];
      for (int f = 0; f < FILTERS; f++) {
        kept[2 * f] = level[f];
        kept[2 * f + 1] = Math.sqrt(variance[f]);
      }
      System.arraycopy(adstock, 0, kept, ADSTOCK, CARRYOVERS.length);
      kept[DISPERSION] = dispersion;
      kept[DEGREES] = degrees;
      kept[TYPICAL] = typical;
      kept[UNIT] = unit;
      kept[OLD_VALUE] = oldValue;
      kept[OLD_UNITS] = oldUnits;
      kept[WINDOW] = window;
      kept[OLDEST_IN] = oldestIn ? 1 : 0;
      return kept;
    }

    /** Evidence relative to the best filter's, with a floor, as memory keeps it. */
    void relativeEvidence() {
      double top = Double.NEGATIVE_INFINITY;
      for (double e : evidence) {
        top = Math.max(top, e);
      }
      for (int f = 0; f < FILTERS; f++) {
        evidence[f] = Math.max(-MAX_DEFICIT, evidence[f] - top);
      }
    }
  }

  /** One channel's posterior over the filters, and what a unit of its activity is worth. */
  private static final class Belief {
    final Filters filters;
    final double perUnit;
    final ModelState.Memory memory;
    /** Whether a complete bucket was taken in for this run. */
    final boolean arrived;
    final double[] probability = new double[FILTERS];

    Belief(Filters filters, double perUnit, ModelState.Memory memory, boolean arrived) {
      this.filters = filters;
      this.perUnit = perUnit;
      this.memory = memory;
      this.arrived = arrived;
      double top = Double.NEGATIVE_INFINITY;
      double[] weight = new double[FILTERS];
      for (int f = 0; f < FILTERS; f++) {
        weight[f] = SHAPE_PRIORS[f / SPEEDS] + filters.evidence[f];
        top = Math.max(top, weight[f]);
      }
      double sum = 0;
      for (int f = 0; f < FILTERS; f++) {
        // Far below the best, a weight is nil; skipping exp there also avoids its slow path.
        double gap = weight[f] - top;
        probability[f] = gap < -40 ? 0 : FastExp.exp(gap);
        sum += probability[f];
      }
      for (int f = 0; f < FILTERS; f++) {
        probability[f] /= sum;
      }
    }

    /** The average of {@code count} steady-spend curves drawn from the posterior. */
    DoubleUnaryOperator draw(Draws draws, int count) {
      double[] scale = new double[count];
      int[] shape = new int[count];
      double inverseTypical = 1 / filters.typical;
      for (int s = 0; s < count; s++) {
        double u = draws.uniform();
        int f = 0;
        double cumulative = probability[0];
        while (f < FILTERS - 1 && u > cumulative) {
          f++;
          cumulative += probability[f];
        }
        shape[s] = f / SPEEDS;
        double level =
            Math.max(0.0, filters.level[f] + Math.sqrt(filters.variance[f]) * draws.normal());
        scale[s] = perUnit * level / count;
      }
      return x -> {
        double total = 0;
        for (int s = 0; s < count; s++) {
          int k = shape[s];
          total += scale[s] * hill(x * inverseTypical / SHAPE_HALF[k], SHAPE_EXPONENT[k]);
        }
        return total;
      };
    }

    /** The posterior expected value of a bucket at a steady spend. */
    double meanValue(double x) {
      double total = 0;
      for (int f = 0; f < FILTERS; f++) {
        if (probability[f] > NEGLIGIBLE) {
          int s = f / SPEEDS;
          total +=
              probability[f]
                  * Math.max(0.0, filters.level[f])
                  * hill(x / filters.typical / SHAPE_HALF[s], SHAPE_EXPONENT[s]);
        }
      }
      return perUnit * total;
    }
  }
}
