import type { Category, Priority, VoidReason } from "../../../../shared/domain/enums";
import type { ModelKey } from "./devices";

/**
 * What customers of an imported-phone desk actually write about, and how the desk answers.
 * Texts are templates: {first} the customer's first name, {brand} {model} the handset,
 * {rom} {romVersion} {logo} its software, {purchase} {until} {doa} its dates, {rma} {tracking}
 * {dhl} {batch} {ref} {police} {price} reference numbers, {related} a related ticket number,
 * {warrantyLine} one sentence on the handset's warranty as recorded.
 */

/** When the handset was bought, relative to the ticket: days, weeks to months, over a year. */
export type Age = "new" | "recent" | "old";

export interface Exchange {
  /** The agent's question (the ticket then waits on the customer). */
  ask: string;
  /** The customer's answer (which reopens the ticket). */
  answer: string;
  /** Record the warranty as void (one of these reasons, by handset) just before asking. */
  void?: readonly VoidReason[];
  /** Days before the agent can ask (the phone travelling to the desk, say). */
  after?: readonly [number, number];
}

export interface Escalation {
  status: "pending_internal" | "pending_distributor";
  /** What the agent tells the customer. */
  reply: string;
  /** What the agent records for the team. */
  note: string;
  /** Whether a resolution always goes through this step (a repair), or only sometimes. */
  always: boolean;
  /** How long it stays there before the resolution, in days. */
  days: readonly [number, number];
}

/** Special set-ups that raise a flag on the ticket (docs/DOMAIN.md, "Lost and stolen"). */
export type Special = "stolen" | "blocked_resale" | "test_range" | "brand_mismatch";

export interface Scenario {
  id: string;
  category: Category;
  /** How customers open it: [subject, description]. */
  openings: readonly (readonly [string, string])[];
  /** Models this happens on; any when absent. */
  models?: readonly ModelKey[];
  age: Age;
  priority: readonly (readonly [Priority, number])[];
  /** The handling agent's first internal note. */
  notes: readonly string[];
  exchanges: readonly Exchange[];
  escalate?: Escalation;
  resolutions: readonly string[];
  /** The resolution after the escalation, when it differs. */
  afterEscalation?: string;
  /**
   * The resolution when the handset is not covered (sold as-is, voided or expired); such a
   * ticket skips the escalation, since there is no free repair to send anywhere.
   */
  notCovered?: string;
  /** Record the warranty as void just before the resolution. */
  resolveVoid?: readonly VoidReason[];
  /** May the handset be one sold as-is (warranty source none)? Default yes. */
  asIs?: boolean;
  /** Relative frequency among ordinary tickets; 0 for the specials. */
  weight: number;
  special?: Special;
}

const XIAOMI: ModelKey[] = [
  "redmi_note_3",
  "mi_4i",
  "mi_4w",
  "redmi_3",
  "redmi_3s",
  "redmi_note_2",
];

export const SCENARIOS: readonly Scenario[] = [
  {
    id: "no_lte_tmobile",
    category: "network",
    openings: [
      [
        "Only getting 3G / H+ on T-Mobile, never LTE",
        "Got my {model} last week. Calls and texts work but it never shows LTE, only H or H+. My wife's iPhone gets LTE in the same room. I'm on the GSM plan (T-Mobile network). Is something wrong with the phone?",
      ],
      [
        "No LTE on my {model}",
        "Got my {model} last week. Calls and texts work but it never shows LTE, only H or H+. My wife's iPhone gets LTE in the same room. I'm on the GSM plan (T-Mobile network). Is something wrong with the phone?",
      ],
      [
        "data is really slow, stuck on H+",
        "Speed tests give me 2-3 Mbps at best and the status bar says H+ all the time. I set preferred network to 4G already. Friends on T-Mobile get LTE everywhere I go.",
      ],
      [
        "Phone never shows 4G/LTE",
        "Speed tests give me 2-3 Mbps at best and the status bar says H+ all the time. I set preferred network to 4G already. Friends on T-Mobile get LTE everywhere I go.",
      ],
    ],
    models: ["redmi_note_3", "mi_4i", "mi_4w", "redmi_note_2"],
    age: "new",
    priority: [
      ["normal", 7],
      ["high", 2],
    ],
    notes: [
      "If this is the China edition: LTE bands 1/3/5/7/8/38-41 only, no B2, B4 or B12, so no LTE on T-Mobile, and with 2G/3G shut down (GSM on 2026-08-03) no service at all. Not a defect; exchange or return while inside the window.",
      "The TAC says {model} but a TAC doesn't name the variant. Asking for Settings > About phone to tell the China from the Global edition before promising anything.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, thanks for the details. Could you open Settings > About phone and send us the exact model line and the {rom} version? A photo of the box label (the sticker with the IMEI) also helps us confirm which edition you have.",
        answer:
          "Settings says {model}, {romVersion}. The box label is mostly in Chinese. I can email a photo if you need it.",
      },
    ],
    escalate: {
      status: "pending_internal",
      reply:
        "I've asked our device team whether we have a unit of the certified edition in stock to exchange yours for. I'll update you as soon as I hear back.",
      note: "Device team: do we have a Global-edition unit left in batch {batch} for an exchange? Customer would also accept a Mi 4i.",
      always: false,
      days: [1, 3],
    },
    resolutions: [
      "Thanks, {first}. That confirms it: your unit is the China edition, which has no LTE on bands 2, 4 or 12, the ones T-Mobile uses. It will stay on 3G/HSPA+ wherever T-Mobile still runs it, and no setting or update can add a band. Since you're still in your first weeks, we can exchange it for a certified unit or refund it: I've emailed you a prepaid return label, just tell us which you prefer.",
    ],
    afterEscalation:
      "Your replacement (a certified edition with bands 2, 4 and 12) shipped today, tracking {tracking}. Please send the old one back with the prepaid label in the box. Thanks for your patience, {first}!",
    asIs: false,
    weight: 9,
  },
  {
    id: "missing_b12",
    category: "network",
    openings: [
      [
        "LTE drops to nothing in rural areas - band 12?",
        "LTE works in town, but at my parents' place (rural Ohio) I have zero bars while T-Mobile phones get service. I read the Redmi Note 3 doesn't support band 12. Can you confirm? If so I want to know my options.",
      ],
      [
        "Zero bars at my parents' place, T-Mobile phones work",
        "LTE works in town, but at my parents' place (rural Ohio) I have zero bars while T-Mobile phones get service. I read the Redmi Note 3 doesn't support band 12. Can you confirm? If so I want to know my options.",
      ],
      [
        "No signal inside buildings, fine outside",
        "Inside my office building the phone shows no signal at all, while my coworkers on T-Mobile have 2-3 bars. Outside it's fine.",
      ],
    ],
    models: ["redmi_note_3"],
    age: "recent",
    priority: [
      ["normal", 6],
      ["low", 2],
    ],
    notes: [
      "Snapdragon (kenzo) spec sheet: B1/2/3/4/5/7/8/38-41, no B12 or B71. Verdict partial: LTE on B2/B4, weak signal indoors and outside towns. Nothing to troubleshoot.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, could you tell us roughly where this happens (a ZIP code is enough) and whether Wi-Fi calling shows up in your settings?",
        answer: "ZIP is 43952. There's no Wi-Fi calling option anywhere in the settings.",
      },
    ],
    resolutions: [
      "Thank you, {first}. Your {model} supports T-Mobile's LTE bands 2 and 4 but not band 12 (700 MHz), which is what carries the signal in rural areas and deep inside buildings. No setting or update adds a band, so where only band 12 reaches, the phone has no LTE. {warrantyLine} If this is a deal-breaker, reply here and we'll look at your options.",
    ],
    weight: 5,
  },
  {
    id: "no_service_network_mode",
    category: "no_service",
    openings: [
      [
        "Phone says No service / Emergency calls only",
        "Emergency calls only. I put the SIM in the first slot like the guide said and restarted twice. Nothing.",
      ],
      [
        "SIM works in my old phone but not in the {model}",
        "New SIM from you guys, activated yesterday. In my old Samsung it works, in the {model} it just says 'No service'. I tried restarting and toggling airplane mode.",
      ],
      [
        "No service since activation",
        "New SIM from you guys, activated yesterday. In my old Samsung it works, in the {model} it just says 'No service'. I tried restarting and toggling airplane mode.",
      ],
    ],
    age: "new",
    priority: [
      ["high", 6],
      ["urgent", 1],
    ],
    notes: [
      "IMEI on device (*#06#) matches our record; not on our lost/stolen list. Account activated 2 days ago. Probably network mode or APN, walk them through it.",
    ],
    exchanges: [
      {
        ask: "Sorry about that, {first}. Two quick checks: dial *#06# and tell us the IMEI it shows (both if there are two), and under Settings > SIM cards & mobile networks > Preferred network type, pick '4G/3G/2G (auto)'. Then restart the phone.",
        answer:
          "IMEI matches the box. Network type was on '3G only (WCDMA)'. Changed it, restarted, and now I have bars!",
      },
    ],
    escalate: {
      status: "pending_internal",
      reply:
        "The IMEI and the SIM both check out on our side, so I've escalated to our network operations team to look at the activation itself. I'll be back in touch within one business day.",
      note: "Escalated to NetOps (NOC-{ref}): SIM provisioned but no attach attempts seen from this IMEI.",
      always: false,
      days: [1, 2],
    },
    resolutions: [
      "Great news, {first}! The phone came set to 3G only, which on our network often means no signal at all. Leave it on auto. I'll mark this solved; reply here if the signal drops again.",
    ],
    afterEscalation:
      "NetOps found the SIM stuck half-provisioned and re-pushed it. Please restart the phone: you should have service now. Sorry for the trouble, {first}.",
    weight: 7,
  },
  {
    id: "volte_wifi_calling",
    category: "volte_wifi_calling",
    openings: [
      [
        "VoLTE not working, data drops to 3G on every call",
        "Every time I make or get a call, data drops from LTE to H+. There's no VoLTE or HD voice toggle anywhere. At home the signal is weak and I was counting on Wi-Fi calling, but the option isn't there.",
      ],
      [
        "No HD voice / VoLTE toggle",
        "Every time I make or get a call, data drops from LTE to H+. There's no VoLTE or HD voice toggle anywhere. At home the signal is weak and I was counting on Wi-Fi calling, but the option isn't there.",
      ],
      [
        "Wi-Fi calling missing in settings",
        "My basement apartment has one bar at best, so calls keep dropping. Is Wi-Fi calling supported on the {model}? I can't find it anywhere in the settings.",
      ],
      [
        "Calls fail at home, need Wi-Fi calling",
        "My basement apartment has one bar at best, so calls keep dropping. Is Wi-Fi calling supported on the {model}? I can't find it anywhere in the settings.",
      ],
    ],
    models: ["redmi_note_3", "mi_4i", "redmi_3s", "m3_note"],
    age: "recent",
    priority: [
      ["normal", 6],
      ["high", 2],
    ],
    notes: [
      "Variant is VoLTE-capable but not whitelisted with the host carrier; Wi-Fi calling not capable. Certification status: in testing. Nothing the customer can toggle.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, could you confirm the {rom} version under Settings > About phone? And do you have an emergency (E911) address saved on your account?",
        answer: "It's {romVersion}. I don't think I ever set an address.",
      },
    ],
    escalate: {
      status: "pending_internal",
      reply:
        "Thanks. VoLTE on your model depends on the network whitelisting it, and that is in progress with our host carrier. I've added your ticket to that request, so you'll hear from us when it changes.",
      note: "Added to the VoLTE whitelisting request for {model} (CERT-{ref}). Re-check when certification moves past 'in testing'.",
      always: false,
      days: [3, 9],
    },
    resolutions: [
      "Thanks, {first}. Your {model} can do VoLTE in hardware, but the network only turns it on for models it has whitelisted, and yours is still being tested with our host carrier. Until then calls go over 3G, which is why data drops during a call. Wi-Fi calling isn't supported on this model at all. Please also add your E911 address in your account: it's needed the day VoLTE is switched on.",
    ],
    weight: 6,
  },
  {
    id: "mms_apn",
    category: "sms_mms_data",
    openings: [
      [
        "Can't send picture messages (MMS)",
        "Texts work fine, but picture messages fail with 'Message not sent'. Also group texts from iPhone friends show up as separate messages or not at all.",
      ],
      [
        "Picture messages fail, group texts broken",
        "Texts work fine, but picture messages fail with 'Message not sent'. Also group texts from iPhone friends show up as separate messages or not at all.",
      ],
      [
        "Group texts not arriving",
        "Group chats with my family don't work: I get some of the messages one by one and the pictures never. Regular texts are fine.",
      ],
    ],
    age: "new",
    priority: [
      ["normal", 6],
      ["low", 2],
    ],
    notes: ["China ROM ships without our APN; MMSC missing. Send the APN settings."],
    exchanges: [
      {
        ask: "Hi {first}, this is almost always the APN (the phone's data settings). Go to Settings > SIM cards & mobile networks > your SIM > Access point names, add one with Name: T-Mobile, APN: fast.t-mobile.com, MMSC: http://mms.msg.eng.t-mobile.com/mms/wapenc, MCC 310, MNC 260, APN type: default,supl,mms. Save it, select it, and restart. Does that help?",
        answer:
          "Did that. Data works and picture messages send now! Group texts still come in weird though.",
      },
      {
        ask: "Glad that worked. For group texts: open Messaging > Settings > Advanced and turn on 'Group messaging (MMS)'. Let me know if they come through properly after that.",
        answer: "That fixed it, thank you!",
      },
    ],
    resolutions: [
      "You're welcome, {first}! If an update ever resets your APN, the same settings apply. I'll close this out.",
    ],
    weight: 6,
  },
  {
    id: "no_google_play",
    category: "google_services_rom",
    openings: [
      [
        "No Google Play Store on the phone",
        "The phone came with a bunch of Chinese apps and no Play Store. I can't install WhatsApp or my bank's app. People online say to flash a global ROM. Is that OK to do?",
      ],
      [
        "Can't install WhatsApp - no Play Store",
        "The phone came with a bunch of Chinese apps and no Play Store. I can't install WhatsApp or my bank's app. People online say to flash a global ROM. Is that OK to do?",
      ],
      [
        "Gmail and Maps missing, only Chinese apps",
        "There is no Google Play, no Gmail, no YouTube. The app store that is there is all in Chinese. Did I get the wrong phone?",
      ],
      [
        "How do I get Google apps on this?",
        "There is no Google Play, no Gmail, no YouTube. The app store that is there is all in Chinese. Did I get the wrong phone?",
      ],
    ],
    age: "new",
    priority: [["normal", 1]],
    notes: [
      "China ROM, advise against flashing: voids warranty (unofficial ROM / unlocked bootloader). Offer exchange for a Global ROM unit while inside the window.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, please don't flash another ROM: unlocking the bootloader or installing unofficial software voids our warranty on the phone, and a failed flash can leave it unusable. Could you tell me the {rom} version shown under Settings > About phone?",
        answer: "It says {romVersion}. OK, I won't flash it.",
      },
    ],
    resolutions: [
      "Thanks, {first}. That is the China ROM, which ships without Google services. As you're inside the return window, we can swap the phone for one with the Global ROM, which has the Play Store. I've started the exchange: a prepaid label is on its way by email.",
    ],
    asIs: false,
    weight: 7,
  },
  {
    id: "flashed_bootloop",
    category: "google_services_rom",
    openings: [
      [
        "Stuck on {logo} logo after installing global ROM",
        "I unlocked the bootloader and flashed the global ROM to get Google apps. Now it's stuck on the {logo} logo and restarts every minute. Can you fix it under warranty?",
      ],
      [
        "Bootloop after flashing, please help",
        "I unlocked the bootloader and flashed the global ROM to get Google apps. Now it's stuck on the {logo} logo and restarts every minute. Can you fix it under warranty?",
      ],
    ],
    models: XIAOMI,
    age: "recent",
    priority: [
      ["normal", 3],
      ["high", 1],
    ],
    notes: [
      "Customer unlocked the bootloader and flashed an unofficial ROM: warranty void. Offer the paid reflash through the distributor ($35).",
    ],
    exchanges: [
      {
        ask: "Hi {first}, sorry it's stuck. Unlocking the bootloader and installing an unofficial ROM is one of the things our limited warranty excludes, so I've had to record the warranty on this phone as void. We can still help: our distributor can reflash the official firmware for a flat $35, return shipping included. Would you like that?",
        answer: "That's frustrating but OK, go ahead.",
        void: ["bootloader_unlocked", "unofficial_rom"],
      },
    ],
    escalate: {
      status: "pending_distributor",
      reply:
        "Done. {rma} is open for the reflash; print the label we emailed and send the phone without the SIM card. It usually takes two weeks door to door.",
      note: "{rma}: paid reflash (customer damage), quote of $35 accepted.",
      always: true,
      days: [8, 14],
    },
    resolutions: [
      "Your phone is back from the distributor with the official firmware and shipped to you today, tracking {tracking}. Please don't unlock the bootloader again: the next time we couldn't help. Thanks, {first}.",
    ],
    asIs: false,
    weight: 3,
  },
  {
    id: "ota_update",
    category: "software_update",
    openings: [
      [
        "Is it safe to install the system update?",
        "My {model} keeps asking to install a system update (about 1 GB). Is that safe on your network or will it break something? Last time an update reset my APN.",
      ],
      [
        "Update keeps failing at 'verifying'",
        "The updater downloads the update and then fails with an error I can't read (it's in Chinese). Tried three times on Wi-Fi. Is it safe to keep trying?",
      ],
      [
        "{rom} update notification is in Chinese",
        "The updater downloads the update and then fails with an error I can't read (it's in Chinese). Tried three times on Wi-Fi. Is it safe to keep trying?",
      ],
    ],
    age: "recent",
    priority: [
      ["low", 3],
      ["normal", 4],
    ],
    notes: [
      "Official OTA from the maker's servers: fine to install and doesn't void anything. APN may reset on China builds, send the APN reminder.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, yes: official updates from the phone's own Updater app are fine and don't affect your warranty. Back up first and keep the phone on charge; avoid only updates from third-party websites. If your APN resets afterwards, set fast.t-mobile.com again. Let me know how it goes?",
        answer:
          "Installed fine this time. The APN reset like you said, I put it back in. All good.",
      },
    ],
    resolutions: ["Perfect, thanks for letting us know, {first}."],
    weight: 5,
  },
  {
    id: "charging_port",
    category: "hardware_defect",
    openings: [
      [
        "Phone stopped charging",
        "{model}, a few months old. The cable has to be held at an angle to charge and since yesterday it doesn't charge at all. I tried two different cables and chargers.",
      ],
      [
        "Charging only works if I hold the cable at an angle",
        "{model}, a few months old. The cable has to be held at an angle to charge and since yesterday it doesn't charge at all. I tried two different cables and chargers.",
      ],
      [
        "Won't charge anymore, tried 3 cables",
        "Charging is on and off, the icon flickers. Battery is at 8% now and I need this phone for work.",
      ],
    ],
    age: "recent",
    priority: [
      ["normal", 4],
      ["high", 3],
    ],
    notes: [
      "Third {model} this month with a charge-port fault, all from batch {batch}. Flagging to Renee for the batch defect review.",
      "Covered defect if no damage. Asked for port cleaning first (lint is the usual culprit).",
    ],
    exchanges: [
      {
        ask: "Sorry to hear that, {first}. Could you check the port for lint (gently, with a wooden toothpick) and try another charger? If it still won't charge, we'll get it repaired.",
        answer:
          "Cleaned it, a bit of lint came out but still nothing. Tried my friend's charger too.",
      },
    ],
    escalate: {
      status: "pending_distributor",
      reply:
        "Thanks for checking. I've opened repair order {rma} and a prepaid label is on its way by email. Repairs go to our distributor in Hong Kong, so it usually takes 2-3 weeks; we'll keep you posted.",
      note: "{rma} approved: covered defect (charge port). Goes to the HK distributor on the next consolidated shipment.",
      always: true,
      days: [9, 16],
    },
    resolutions: [
      "Your phone is back from repair with a new charging board and shipped to you today: tracking {tracking}. Thanks for your patience, {first}.",
    ],
    notCovered:
      "Thanks for checking, {first}. {warrantyLine} So the repair isn't free, but our distributor can replace the charging port for about $35 plus shipping. Reply here if you'd like a quote.",
    weight: 6,
  },
  {
    id: "battery_swelling",
    category: "hardware_defect",
    openings: [
      [
        "Battery swelling, back cover is lifting",
        "The back cover of my {model} is lifting at the bottom and the screen is pushed up slightly. It gets warm when charging.",
      ],
      [
        "Back of phone bulging - is this dangerous?",
        "The back cover of my {model} is lifting at the bottom and the screen is pushed up slightly. It gets warm when charging.",
      ],
      [
        "Gap between screen and frame, phone wobbles",
        "Noticed a gap between the screen and the frame. The phone wobbles on the table now. Is the battery swelling?",
      ],
    ],
    age: "old",
    priority: [
      ["urgent", 3],
      ["high", 2],
    ],
    notes: [
      "Swollen battery = safety issue. Ship only with the damaged-battery kit (UN3481 label). Told customer to stop charging.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, please stop using and charging the phone now, and keep it somewhere cool, away from anything flammable: a swollen lithium battery can be dangerous. We'll send a special shipping kit for it. Is your shipping address still the one on your order?",
        answer: "Stopped using it. Address is the same. Thanks for the quick answer.",
      },
    ],
    escalate: {
      status: "pending_distributor",
      reply:
        "Thanks, {first}. {rma} is open and the battery-safe shipping kit goes out today. {warrantyLine} Because it's a safety issue, we replace swollen batteries free of charge either way.",
      note: "{rma}: battery replacement, safety goodwill regardless of warranty. Hazmat kit shipped.",
      always: true,
      days: [10, 18],
    },
    resolutions: [
      "Your phone has a new battery and is on its way back, tracking {tracking}. If you ever see swelling again, stop using it right away and write to us.",
    ],
    weight: 4,
  },
  {
    id: "liquid_damage",
    category: "hardware_defect",
    openings: [
      [
        "Screen went black after rain",
        "{model} got wet in the rain yesterday (it was in my jacket pocket). Now the screen stays black, though it vibrates when I call it. Is this covered?",
      ],
      [
        "Got wet, now the screen stays black",
        "{model} got wet in the rain yesterday (it was in my jacket pocket). Now the screen stays black, though it vibrates when I call it. Is this covered?",
      ],
      [
        "Phone fell in the sink, now no sound",
        "Dropped it in the sink for a second. Dried it in rice overnight. Now the speaker doesn't work and the mic sounds muffled.",
      ],
    ],
    age: "recent",
    priority: [
      ["normal", 4],
      ["high", 1],
    ],
    notes: ["Likely liquid damage. Get it in for diagnosis before any promises."],
    exchanges: [
      {
        ask: "Hi {first}, sorry to hear it. Please don't charge it until it's completely dry. Send it in with the prepaid label we've emailed ({rma}) and we'll diagnose it.",
        answer: "Sent it today.",
      },
      {
        ask: "We've examined your phone: the liquid-contact indicators are red and there's corrosion near the board connector. Liquid damage isn't covered by our limited warranty, so I've had to record the warranty on this phone as void. Our distributor can repair it for $89, or we can return it as it is. Which would you prefer?",
        answer: "$89 is too much for this phone, please just send it back.",
        void: ["liquid_damage"],
        after: [2, 5],
      },
    ],
    resolutions: [
      "Understood. Your phone is on its way back, tracking {tracking}. Sorry we couldn't do more this time, {first}.",
    ],
    asIs: false,
    weight: 4,
  },
  {
    id: "cracked_screen",
    category: "hardware_defect",
    openings: [
      [
        "Cracked screen after a drop - can you replace it?",
        "Dropped my {model} on the sidewalk, the screen is cracked from the top corner and the touch doesn't respond on the left side. Can you replace the screen? It's still under warranty.",
      ],
      [
        "Screen cracked, touch not working on the left",
        "Dropped my {model} on the sidewalk, the screen is cracked from the top corner and the touch doesn't respond on the left side. Can you replace the screen? It's still under warranty.",
      ],
    ],
    age: "recent",
    priority: [["normal", 1]],
    notes: ["Drop damage: not a warranty case. Quote the screen replacement ($59)."],
    exchanges: [
      {
        ask: "Hi {first}, sorry about your screen. A screen cracked in a drop is physical damage, which our limited warranty excludes, so I've had to record the warranty on this phone as void. Our distributor can replace the screen for $59 plus return shipping. Would you like that?",
        answer: "Yes please, I can't use it like this.",
        void: ["physical_damage"],
      },
    ],
    escalate: {
      status: "pending_distributor",
      reply: "{rma} is open for the paid screen replacement; the label is in your email.",
      note: "{rma}: paid screen replacement ($59), customer damage. Quote accepted.",
      always: true,
      days: [9, 15],
    },
    resolutions: [
      "Your {model} has a new screen and shipped today, tracking {tracking}. Thanks, {first}!",
    ],
    asIs: false,
    weight: 3,
  },
  {
    id: "doa",
    category: "doa",
    openings: [
      [
        "Dead on arrival: won't turn on",
        "The {model} arrived today. It charged for 2 hours and won't turn on: no logo, no vibration, no LED when plugged in. Holding power + volume down doesn't do anything either.",
      ],
      [
        "New phone stuck in a boot loop out of the box",
        "Brand new, first boot shows the {logo} logo and then restarts, over and over. Never got to the setup screen.",
      ],
      [
        "DOA - black screen, only vibrates",
        "Arrived yesterday. It vibrates when I press the power button and I hear the startup sound, but the screen stays black. Charged it overnight, same thing.",
      ],
    ],
    age: "new",
    priority: [
      ["high", 5],
      ["urgent", 1],
    ],
    notes: [
      "Inside the DOA window (until {doa}). Advance replacement per DOA policy; no troubleshooting beyond the power-key check.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, sorry about that! One last check: hold the power button for a full 20 seconds while it's plugged into a wall charger. If nothing changes, it's dead on arrival and we'll replace it.",
        answer: "Held it for 30 seconds, nothing. Totally dead.",
      },
    ],
    escalate: {
      status: "pending_distributor",
      reply:
        "Thanks, {first}. Your phone qualifies as dead on arrival, so we're sending a replacement ahead of the return: it ships today, tracking {tracking}. Please send the dead one back in the same box with the prepaid label inside.",
      note: "DOA approved, advance replacement shipped. Credit for the dead unit to be claimed from the distributor (batch {batch}).",
      always: true,
      days: [4, 9],
    },
    resolutions: [
      "Your replacement was delivered and the dead unit has reached us. All done, {first}: enjoy the new phone!",
    ],
    asIs: false,
    weight: 6,
  },
  {
    id: "warranty_earpiece",
    category: "warranty_claim",
    openings: [
      [
        "Warranty claim: earpiece stopped working",
        "Since last week I can't hear callers unless I use the speaker or headphones. I bought the {model} from you on {purchase}. I'd like to use the warranty.",
      ],
      [
        "Can't hear callers unless on speaker",
        "Since last week I can't hear callers unless I use the speaker or headphones. I bought the {model} from you on {purchase}. I'd like to use the warranty.",
      ],
      [
        "Is my phone still under warranty? Mic is dead",
        "People can't hear me on calls anymore, but voice messages work with headphones. Phone is in a case, never dropped.",
      ],
    ],
    age: "recent",
    priority: [["normal", 1]],
    notes: ["{warrantyLine} No signs of damage in the photos; approve the RMA if covered."],
    exchanges: [
      {
        ask: "Hi {first}, thanks. Could you send a photo of the phone's front and back so we can rule out damage before we issue a repair?",
        answer: "Emailed the photos just now. Not a scratch on it, it's always been in a case.",
      },
    ],
    escalate: {
      status: "pending_distributor",
      reply:
        "Thank you. {warrantyLine} Repair {rma} is approved; a prepaid label is on its way by email.",
      note: "{rma}: earpiece/mic fault, covered defect. Consolidated to HK on Friday.",
      always: true,
      days: [9, 16],
    },
    resolutions: [
      "Your phone is back from repair (earpiece module replaced) and shipped today, tracking {tracking}.",
    ],
    notCovered:
      "Hi {first}, I checked your phone's record. {warrantyLine} That means this repair isn't covered, but our distributor can replace the part for a fee, usually around $45 plus shipping. Reply here if you'd like a quote.",
    weight: 6,
  },
  {
    id: "warranty_expired_camera",
    category: "warranty_claim",
    openings: [
      [
        "Camera won't focus - still under warranty?",
        "Bought it about a year and a half ago. The rear camera won't focus anymore, everything is blurry. Is it covered?",
      ],
      [
        "Warranty check: rear camera blurry",
        "Bought it about a year and a half ago. The rear camera won't focus anymore, everything is blurry. Is it covered?",
      ],
    ],
    age: "old",
    priority: [
      ["low", 2],
      ["normal", 3],
    ],
    notes: ["{warrantyLine} Offer the paid repair quote."],
    exchanges: [
      {
        ask: "Hi {first}, could you tell us roughly when and where you bought the phone, or the order number? It's not linked to an order on our side yet.",
        answer: "From your online store, order was around {purchase}.",
      },
    ],
    resolutions: [
      "Thanks, {first}. {warrantyLine} So the camera repair isn't covered, but our distributor can replace the camera module for about $45 plus shipping. Reply here if you'd like a quote.",
    ],
    weight: 4,
  },
  {
    id: "rma_where",
    category: "rma_status",
    openings: [
      [
        "RMA status?",
        "I sent my {model} in for repair ({rma}). Tracking shows you received it, but I haven't heard anything since. When will I get it back?",
      ],
      [
        "Where is my phone? Sent for repair 3 weeks ago",
        "I sent my {model} in for repair ({rma}). Tracking shows you received it, but I haven't heard anything since. When will I get it back?",
      ],
      [
        "Any news on my repair?",
        "It's been almost a month since I mailed my phone for repair. I'm using an old flip phone meanwhile. Please give me a date.",
      ],
    ],
    age: "recent",
    priority: [
      ["normal", 4],
      ["high", 2],
    ],
    notes: [
      "{rma} left for HK on the consolidated shipment; distributor ETA next Friday. SLA paused while at the distributor.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, sorry for the wait. Could you confirm the RMA number on your label, so I track the right parcel?",
        answer: "It's {rma}.",
      },
    ],
    escalate: {
      status: "pending_distributor",
      reply:
        "Thanks, {first}. Your phone reached our distributor in Hong Kong; repairs there take about 10 business days plus 3-5 days to ship back to us. I'll update you when it's on its way back.",
      note: "Chased HK distributor about {rma} (their ref {ref}).",
      always: true,
      days: [6, 12],
    },
    resolutions: [
      "Good news: your phone is repaired and shipped back to you today, tracking {tracking}.",
    ],
    weight: 5,
  },
  {
    id: "customs_hold",
    category: "shipping_customs",
    openings: [
      [
        "DHL wants me to pay duties?",
        "My order tracking has said 'Held by customs' for 6 days. DHL emailed me asking for $38 in duties. I thought the price included everything?",
      ],
      [
        "Package 'held by customs' for a week",
        "My order tracking has said 'Held by customs' for 6 days. DHL emailed me asking for $38 in duties. I thought the price included everything?",
      ],
      [
        "Order stuck in customs",
        "Tracking {dhl} hasn't moved since it arrived in Cincinnati 5 days ago ('Clearance event'). DHL also sent me a bill for duties. Is my phone lost?",
      ],
    ],
    age: "new",
    priority: [
      ["normal", 4],
      ["high", 2],
    ],
    notes: [
      "DHL {dhl} held at CVG customs; duties should be DDP on our account. Asked the broker to rebill us.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, please don't pay those duties: your order ships with duties paid by us, and we've asked DHL to correct it. Could you forward the DHL email to this ticket so we have their reference?",
        answer:
          "Here's what it says: 'Shipment {dhl} is on hold pending payment of duties and taxes.'",
      },
    ],
    escalate: {
      status: "pending_distributor",
      reply:
        "Thank you. Our distributor's customs broker is sorting it out with DHL; this usually clears in 2-3 business days. I'll update you as soon as it moves.",
      note: "Asked the HK distributor to resend the commercial invoice with DDP terms for {dhl}.",
      always: false,
      days: [2, 5],
    },
    resolutions: [
      "It has cleared customs and DHL shows it out for delivery tomorrow, with nothing to pay. Sorry for the hassle, {first}!",
    ],
    asIs: false,
    weight: 5,
  },
  {
    id: "charger_not_us",
    category: "accessories",
    openings: [
      [
        "Charger is not a US plug",
        "The phone came with a charger that has two flat slanted pins; it doesn't fit any outlet in my house. Is there supposed to be a US charger in the box?",
      ],
      [
        "Charger doesn't fit my outlets",
        "The phone came with a charger that has two flat slanted pins; it doesn't fit any outlet in my house. Is there supposed to be a US charger in the box?",
      ],
      [
        "No US charger in the box",
        "The plug in the box is for China I think. Can you send a US one?",
      ],
    ],
    age: "new",
    priority: [
      ["low", 5],
      ["normal", 2],
    ],
    notes: [
      "Batch {batch} shipped with Chinese plugs. Send a US 5V/2A charger from stock (CHG-US-2A).",
    ],
    exchanges: [
      {
        ask: "Hi {first}, sorry: some units from this shipment came with a Chinese plug. We'll send you a US charger free of charge. Is the shipping address on your order still right?",
        answer: "Yes, same address. Thanks!",
      },
    ],
    resolutions: [
      "The US charger is on its way, tracking {tracking}. Until then any USB charger with a micro-USB cable works fine.",
    ],
    weight: 5,
  },
  {
    id: "double_charge",
    category: "billing",
    openings: [
      [
        "Charged twice for my phone",
        "My card was charged {price} twice for the same order. Please refund the duplicate.",
      ],
      [
        "Duplicate charge on my card",
        "My card was charged {price} twice for the same order. Please refund the duplicate.",
      ],
    ],
    age: "new",
    priority: [
      ["normal", 5],
      ["high", 1],
    ],
    notes: [
      "Looks like a duplicate authorisation from a payment gateway retry. Checking with billing.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, sorry for the worry. Could you tell us the last four digits of the card, and whether both charges show as 'posted' or one as 'pending'?",
        answer: "Card ending {card4}. One of them says pending.",
      },
    ],
    escalate: {
      status: "pending_internal",
      reply:
        "Thanks. I've passed it to our billing team to check with the payment processor; we'll confirm within 2 business days.",
      note: "Billing team ticket BIL-{ref}.",
      always: false,
      days: [1, 3],
    },
    resolutions: [
      "Billing confirmed the second charge was only an authorisation and it has been released: it should disappear from your statement within 5 business days. Sorry for the confusion, {first}!",
    ],
    weight: 4,
  },
  {
    id: "stolen",
    category: "lost_stolen",
    openings: [
      [
        "My phone was stolen, please block it",
        "My {model} was stolen from my car last night. Please block it so nobody can use it. Police report number: {police}.",
      ],
      [
        "Stolen phone",
        "My {model} was stolen from my car last night. Please block it so nobody can use it. Police report number: {police}.",
      ],
      [
        "Lost my phone - block IMEI",
        "Lost my phone on the bus this morning. Can you block it and suspend my line?",
      ],
    ],
    age: "recent",
    priority: [
      ["urgent", 3],
      ["high", 2],
    ],
    notes: [
      "Added the IMEI to our lost/stolen list and asked the host carrier to block it (GSMA). SIM suspended on the account.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, I'm sorry. We've suspended your SIM and added the phone's IMEI to our lost and stolen list, and asked our host carrier to block it on the network. Would you like a replacement SIM sent to the address on your account, free of charge?",
        answer: "Yes please, same address. Thank you for the quick help.",
      },
    ],
    resolutions: [
      "Your new SIM ships tomorrow. Once it arrives, activate it from your account page and your number moves over. Take care, {first}.",
    ],
    weight: 3,
  },
  {
    id: "language_stuck",
    category: "other",
    openings: [
      [
        "Some menus still in Chinese",
        "I set the language to English but some apps and notifications are still in Chinese. How do I change everything to English?",
      ],
      [
        "Language keeps showing Chinese in some apps",
        "I set the language to English but some apps and notifications are still in Chinese. How do I change everything to English?",
      ],
    ],
    age: "recent",
    priority: [
      ["low", 4],
      ["normal", 1],
    ],
    notes: ["General question, no handset fault."],
    exchanges: [
      {
        ask: "Hi {first}, happy to help. Which apps show Chinese text? The built-in ones on the China ROM (like the app store and the browser) only come in Chinese, and those you can disable under Settings > Installed apps.",
        answer: "It's the browser and some 'security' app. Disabled them, much better now.",
      },
    ],
    resolutions: [
      "Great! The system language itself is under Settings > Additional settings > Languages & input; anything still in Chinese after that is one of those built-in apps. Have a good one, {first}.",
    ],
    weight: 3,
  },
  {
    id: "travel_abroad",
    category: "other",
    openings: [
      [
        "Can I use this phone in Mexico?",
        "Travelling to Mexico next month. Will my {model} work there with a local SIM?",
      ],
      [
        "Using the phone in Canada",
        "Going to Toronto for two weeks. Will my phone work with a Canadian SIM, and does my plan roam?",
      ],
    ],
    age: "recent",
    priority: [["low", 1]],
    notes: ["General question, no handset fault."],
    exchanges: [
      {
        ask: "Hi {first}, happy to help. Are you planning to use a local SIM there, or to keep your number and roam?",
        answer: "Local SIM probably, it's cheaper. I mostly need data and WhatsApp.",
      },
    ],
    resolutions: [
      "Then you're set: the phone is unlocked, so a local SIM works. Which LTE bands you get depends on your phone's variant, and 3G works on the main networks there. If you keep our SIM in the second slot, turn off data roaming for it. Safe travels, {first}!",
    ],
    weight: 2,
  },
  // The specials: one or two each, each raising a flag an agent should see.
  {
    id: "stolen_reported",
    category: "lost_stolen",
    openings: [
      [
        "Phone stolen at the gym, please block it",
        "Someone took my {model} from the locker room at my gym this evening. I've reported it to the police ({police}). Please block the phone and my SIM.",
      ],
    ],
    age: "recent",
    priority: [["urgent", 1]],
    notes: [
      "IMEI on our lost/stolen list; GSMA block requested through the host carrier. SIM suspended.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, I'm so sorry. Your SIM is suspended and we've asked our host carrier to block the phone's IMEI. Would you like a replacement SIM?",
        answer: "Yes please. Thank you.",
      },
    ],
    resolutions: ["Your replacement SIM is on its way. Take care, {first}."],
    weight: 0,
    special: "stolen",
  },
  {
    id: "bought_used_blocked",
    category: "no_service",
    openings: [
      [
        "Bought used, now says IMEI blocked",
        "I bought this {model} second-hand on Craigslist. It worked for two days and now it shows 'No service' and says the device is blocked. The seller isn't answering. Can you unblock it?",
      ],
      [
        "Phone blocked after 2 days, bought second-hand",
        "I bought this {model} second-hand on Craigslist. It worked for two days and now it shows 'No service' and says the device is blocked. The seller isn't answering. Can you unblock it?",
      ],
    ],
    age: "recent",
    priority: [["high", 1]],
    notes: [
      "This IMEI is on another customer's handset, reported stolen in {related}. Do NOT share anything about the other customer. We can't unblock; advise police report and return to seller.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, thanks for reaching out. Could you dial *#06# and send us the IMEI exactly as the phone shows it?",
        answer: "It's the same number I typed in the form.",
      },
    ],
    escalate: {
      status: "pending_internal",
      reply:
        "Thanks. I've asked our fraud team to review this IMEI; we'll get back to you within two business days.",
      note: "Fraud team: IMEI matches the stolen report in {related}. Please confirm the GSMA block stays.",
      always: false,
      days: [1, 3],
    },
    resolutions: [
      "Hi {first}, we can't remove a block that was placed on this device, and we can't share why it was placed. If you bought it from a private seller, ask them for a refund, and if they don't answer, file a report with your local police. We're sorry this isn't the answer you hoped for.",
    ],
    weight: 0,
    special: "blocked_resale",
  },
  {
    id: "test_range_imei",
    category: "authenticity",
    openings: [
      [
        "IMEI starts with 00 after a repair",
        "After a third-party screen repair, *#06# shows an IMEI starting with 00 and I have no service. The box has a different IMEI. I entered the one the phone shows.",
      ],
      [
        "Strange IMEI after screen repair, no service",
        "After a third-party screen repair, *#06# shows an IMEI starting with 00 and I have no service. The box has a different IMEI. I entered the one the phone shows.",
      ],
    ],
    age: "recent",
    priority: [["normal", 1]],
    notes: [
      "Test-range IMEI (00...) on the device: the repair shop lost the IMEI (board swapped or flashed). Device IMEI differs from the box: warranty void, imei_mismatch.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, could you send us a photo of the box label, and tell us where the repair was done?",
        answer:
          "Photo sent. The repair was at a kiosk in the mall, they replaced the screen and 'some board'.",
      },
    ],
    resolutions: [
      "Thanks, {first}. An IMEI beginning with 00 is a test number: the phone lost its identity during the repair, and the network won't register it. We can't restore an IMEI, and since the device no longer matches our record, our warranty on it is void. Please go back to the repair shop; if they can't fix it, we can quote a board replacement through our distributor.",
    ],
    resolveVoid: ["imei_mismatch"],
    weight: 0,
    special: "test_range",
  },
  {
    id: "brand_mismatch",
    category: "authenticity",
    openings: [
      [
        "Is my phone genuine? IMEI shows a different brand",
        "I bought a 'Meizu m2 note' from a marketplace seller who said it came from you. When I check the IMEI online it comes up as a Xiaomi. The phone boots with a Meizu logo though. Did I get a fake?",
      ],
    ],
    models: XIAOMI,
    age: "recent",
    priority: [
      ["normal", 2],
      ["high", 1],
    ],
    notes: [
      "TAC is registered to Xiaomi, customer declares Meizu: brand mismatch. Not in our distributor's shipment records so far. Likely counterfeit or a rewritten IMEI.",
    ],
    exchanges: [
      {
        ask: "Hi {first}, thanks for flagging this. Could you send us a photo of the box label and of the Settings > About phone screen?",
        answer:
          "About phone says Flyme 5.1.3.0G, model m2 note. The box label has a barcode with the same IMEI.",
      },
    ],
    escalate: {
      status: "pending_distributor",
      reply:
        "Thank you. We've asked our distributor to check this IMEI against their shipment records. I'll let you know what they find.",
      note: "Asked the distributor to check the IMEI against the shipment lists (ref {ref}).",
      always: true,
      days: [3, 7],
    },
    resolutions: [
      "Hi {first}, our distributor confirmed this phone was never part of our shipments, and its IMEI belongs to another maker's range, which points to a counterfeit. We can't offer our warranty on it. Please ask the marketplace for a refund; we're happy to send them a written statement if it helps.",
    ],
    resolveVoid: ["counterfeit"],
    weight: 0,
    special: "brand_mismatch",
  },
];

/** Replies a customer adds while nobody has answered yet. */
export const CUSTOMER_NUDGES: readonly string[] = [
  "Any update on this?",
  "Hello? It's been a day and I haven't heard back.",
  "Adding: it also happens with Wi-Fi turned off.",
  "Forgot to say: I already restarted it several times.",
];

/** Notes the team lead leaves on other agents' tickets. */
export const LEAD_NOTES: readonly string[] = [
  "Lead: fine to approve this one, the customer has been patient.",
  "Lead: please update the customer every 3 days while it's at the distributor.",
  "Lead: batch {batch} has several similar reports now; adding it to the defect review.",
  "Lead: keep the wording neutral on certification, no dates until the host carrier confirms.",
];

/** The agent's note when a customer opens the same issue twice. */
export const DUPLICATE = {
  note: "Duplicate of {related}; the conversation continues there.",
  reply:
    "Hi {first}, we're already working on this in your other ticket ({related}), so I'll close this one to keep everything in one place.",
};
