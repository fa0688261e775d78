package dev.spur.campaigns;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spur.core.campaigns.Campaign;
import dev.spur.core.json.Json;
import dev.spur.core.referrers.Referrer;
import dev.spur.core.referrers.ReferrerStore;
import java.util.List;

/** The JSON a referrer's standing, ledger and a campaign's leaderboard are shown as. */
final class ReferrerViews {

  /** How many referrers the leaderboard shows. */
  static final int LEADERBOARD_SIZE = 25;

  private ReferrerViews() {}

  static ObjectNode standing(Campaign campaign, Referrer referrer) {
    ObjectNode node = Json.object();
    node.put("referrerId", referrer.referrerId());
    node.put("referrals", referrer.referrals());
    node.put("points", referrer.points());
    if (referrer.tier() == null) {
      node.putNull("tier");
    } else {
      node.put("tier", referrer.tier());
    }
    node.put("vip", referrer.vip());
    ArrayNode badges = node.putArray("badges");
    referrer.badges().forEach(badges::add);
    if (referrer.variant() != null) {
      node.put("variant", referrer.variant());
    }
    return node;
  }

  static ObjectNode referrer(
      Campaign campaign, Referrer referrer, List<ReferrerStore.Entry> ledger) {
    ObjectNode node = standing(campaign, referrer);
    node.put("campaignId", campaign.id());
    ArrayNode entries = node.putArray("ledger");
    for (ReferrerStore.Entry entry : ledger) {
      ObjectNode row = entries.addObject();
      row.put("orderId", entry.orderId());
      row.put("step", entry.step());
      row.put("at", entry.at().toString());
      row.put("referrals", entry.referrals());
      row.put("points", entry.points());
      ArrayNode earned = row.putArray("badgesEarned");
      entry.badgesEarned().forEach(earned::add);
      ArrayNode revoked = row.putArray("badgesRevoked");
      entry.badgesRevoked().forEach(revoked::add);
      row.put("tierFrom", entry.tierFrom());
      row.put("tierTo", entry.tierTo());
    }
    return node;
  }

  static ObjectNode leaderboard(Campaign campaign, List<Referrer> top) {
    ObjectNode node = Json.object();
    node.put("campaignId", campaign.id());
    ArrayNode rows = node.putArray("referrers");
    int rank = 0;
    for (Referrer referrer : top) {
      ObjectNode row = standing(campaign, referrer);
      row.put("rank", ++rank);
      rows.add(row);
    }
    return node;
  }
}
