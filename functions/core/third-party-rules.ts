/**
 * What tells an organisation's name from other capitalised words in a policy, as data. Policies
 * capitalise defined terms ("Personal Information", "External Ad Partners"), headings, laws and
 * places; these lists hold the words that make a capitalised run not an organisation.
 */

/**
 * Words before a name that introduce it as a recipient or tool ("such as Stripe", "via Sparkpost").
 * What the user uses ("if you keep using Ledgerly") is the service itself, not a recipient.
 */
export const NAME_INTRODUCER_RE = /(?:\bsuch as|\bincluding(?: but not limited to)?|\binclude[sd]?|\blike|\bnamely|\be\.g\.,?|\bi\.e\.,?|\bwith|\bvia|\bby|\bto|\bthrough|\bfrom|(?<!\byou(?: \w+){0,2} )\b(?:use[sd]?|using|utili[sz](?:e|es|ing))|\bpartners? with|\bservices of|:|\()\s*$/;
/** Joins in a list of names ("Stripe, PayPal and Adyen"). */
export const NAME_LIST_JOINER_RE = /^\s*(?:,|and|or|&|\/|, and|, or)\s*$/;
/** Sentence words that make every name in it a likely recipient, processor or tool. */
export const RECIPIENT_CONTEXT_RE = /\b(?:shar(?:e|es|ed|ing)|disclos\w*|processors?|sub-?processors?|service providers?|third[- ]part\w*|partners?|vendors?|suppliers?|analytics|hosting|hosted|payments?|advertis\w*|transmit\w*|sen[dt] (?:to|via|through)|utili[sz]\w*|powered by|provided by|operated by|we use|uses|integrat\w*|plugins?|sdks?)\b/;
/** A name followed by one of these is a product feature ("Live View function"), not an organisation. */
export const FEATURE_FOLLOWER_RE = /^\s+(?:function|functions|feature|features|plan|plans|program|mode|button|tab|page|section|settings?|menu|screen|option|link|interface)\b/;
/**
 * After a name that opens a clause, a verb saying it acts on our or the user's data for us:
 * "Iterable sends our push notifications", "Onfido verifies your identity". Verbs the policy owner
 * itself uses of its own practices ("collects", "uses", "shares") are left out on purpose.
 */
export const SERVICE_VERB_FOLLOWER_RE = /^\s+(?:sends|verifies|hosts|delivers|powers|screens|detects|moderates|transcribes|authenticates|monitors|handles|processes (?:our|your|all|the) (?:\w+ )?(?:payments?|transactions?|orders?)|provides (?:our|the) (?:\w+ ){0,2}(?:service|infrastructure|hosting|platform|tool|software)s?)\s+(?:our|your|the|all|each|every|us|users?|customers?)\b|^\s+\w+s\b[^.]*\b(?:on (?:our|its) behalf|for us)\b/;
/** "Datadog – infrastructure monitoring": a list line naming a vendor, then what it does. */
export const DESCRIBED_NAME_FOLLOWER_RE = /^(?:\s*[–—]|\s+-)\s+[a-z]/;
/** A description or location that makes a dash-described list line a vendor line. */
export const VENDOR_LINE_RE = /\b(?:monitor\w*|logg?\w*|hosting|hosted|cloud|storage|infrastructure|cdn|e-?mail delivery|messaging|notifications?|chat|help ?desk|ticket\w*|crm|analytics|payments?|fraud|identity|verification|authentication|advertis\w*|transcription|translation|sub-?processors?|processors?|service providers?|vendors?)\b|\([^()]*\)\s*$/;
/** Regulators: where a user complains, not a recipient ("contact the ICO", "the CNIL"). */
export const REGULATOR_NAMES: ReadonlySet<string> = new Set(
  ['ico', 'cnil', 'dpc', 'edpb', 'edps', 'ftc', 'aepd', 'garante', 'datatilsynet', 'imy', 'cnpd', 'uodo', 'apd', 'gba', 'bfdi', 'oaic', 'opc', 'pdpc', 'anpd', 'cppa', 'autoriteit persoonsgegevens', 'attorney general'],
);
/** A name after a word that switches a feature on or off ("turn on Voice Match") is the feature. */
export const FEATURE_TOGGLE_PREFIX_RE = /\b(?:turn(?:s|ed|ing)? (?:on|off)|enabl\w*|disabl\w*|switch(?:es|ed|ing)? (?:on|off)|(?:de)?activat\w*)\s+(?:the\s+)?$/i;
/** Last words of street names: an address in a contact block, not an organisation. */
export const STREET_WORDS: ReadonlySet<string> = new Set('street avenue road boulevard lane drive suite floor plaza parkway straße strasse'.split(' '));
/** Legal-form suffixes: a strong sign of an organisation, dropped from the reported name. */
export const ORG_SUFFIX_RE = /(?:,?\s+(?:Inc|LLC|L\.L\.C|Ltd|Limited|Corp|Corporation|GmbH|plc|PLC|S\.A|AG|B\.V|N\.V|Co|Pty|SAS|SE|LLP|LP|S\.r\.l)\.?)+$/;

/**
 * Organisations policies often name in lower case ("utilizes google analytics"), found whatever
 * the case. Only names that are not also ordinary words: "Apple" or "Square" must be capitalised.
 */
export const KNOWN_ORGANISATIONS: readonly string[] = [
  'Google Analytics', 'Google Ads', 'Google', 'Facebook', 'Instagram', 'WhatsApp', 'YouTube', 'PayPal', 'Cloudflare',
  'SparkPost', 'SendGrid', 'Mailchimp', 'Twilio', 'Zendesk', 'Intercom', 'Salesforce', 'HubSpot', 'Mixpanel', 'Amplitude',
  'Hotjar', 'Sentry', 'Braze', 'AppsFlyer', 'Firebase', 'Crashlytics', 'OneSignal', 'Auth0', 'Okta', 'Shopify', 'Adyen',
  'Braintree', 'Klarna', 'Microsoft', 'LinkedIn', 'Pinterest', 'Snapchat', 'TikTok', 'Criteo', 'Taboola', 'Outbrain',
  'DoubleClick', 'AdMob', 'AppLovin', 'ironSource', 'Amazon Web Services', 'AWS', 'Alibaba Cloud', 'Tencent', 'Baidu',
  'Yandex', 'Stripe', 'Segment.io', 'Matomo', 'Cookiebot', 'OneTrust', 'Akamai', 'Fastly', 'Heroku', 'DigitalOcean',
];

/** Function words stripped from the front of a capitalised run ("Our Google Analytics" → "Google Analytics"). */
export const LEADING_FUNCTION_WORDS: ReadonlySet<string> = new Set(
  'the our your their its this that these those a an and or & please via with by to from for of in on at if when where while we you they it also all as any some each every such no not but so since because after before during upon however additionally finally currently note here there then'.split(' '),
);

/** Capitalised words that are not organisations: pronouns, policy vocabulary, laws, places, dates. */
export const NON_ORGANISATION_WORDS: ReadonlySet<string> = new Set(
  `& we you our us your i the this that these those there their they it its he she his her a an if when where while whether
  for in on at by to with from of and or but as any all some such each every other no not please note however also
  additionally alternatively further furthermore finally currently generally here below above under subject unless except
  otherwise only then thus therefore because since after before during upon within without about apart how why what who
  which whom privacy policy policies notice notices statement terms conditions condition service services site sites
  website websites app apps application applications platform platforms product products personal information data cookie
  cookies section account accounts settings setting user users customer customers consumer consumers member members
  visitor visitors third party parties third-party provider providers partner partners controller processor processors
  officer protection act law laws regulation regulations rights right legal basis bases legitimate interest interests
  consent children child parent parents guardian age security retention transfer transfers international changes change
  updates update contact questions question disclosure disclosures collection use usage sharing sale sell marketing
  advertising advertisements ads analytics support help request requests email e-mail mail internet web online mobile
  device devices identifiers identifier ip id ids sdk api ssl tls https url faq dear name address phone number date time
  day days week weeks month months year years gdpr ccpa cpra coppa ferpa hipaa pipeda lgpd pipl appi bipa nrs can-spam
  dpo dpa dpas eea eu uk us usa ca ny tx california nevada virginia colorado connecticut utah texas delaware illinois
  washington york new oregon january february march april may june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday do track shine light opt-out unsubscribe external internal ad
  department secretary state commissioner office forum case category registration transaction uploaded content chat blog
  technology technologies network european union economic area kingdom united states america europe general standard
  contractual clauses shield framework direct communications communication preferences preference location precise
  anonymized aggregated additional effective last updated modified revised version residents resident individual
  individuals company companies business affiliates affiliate subsidiaries subsidiary group vendors vendor agents agent
  authority authorities government court courts public private sensitive special categories type types purpose purposes
  reason reasons important compliance contract performance obligation obligations specific program programs
  self-regulatory behavioral behavioural interest-based digital cloud ddos dos cdn sms gps vpn dns html css pdf csv ai
  ml pin otp mfa 2fa qr mac sn rma cal civ code inc ltd llc limited corp co gmbh plc access correct delete share push
  collect manage protect review learn read see click visit submit object restrict withdraw appeal erasure portability
  rectification objection restriction deletion correction opt out choices choice initiative monetization storage contributions contribution
  everyone everybody anyone anybody someone somebody nobody staff team teams employees billing hosting payment payments
  monitoring logging messaging notifications fraud prevention verification identity infrastructure operations delivery
  fulfilment fulfillment shipping orders order research training aes rsa sha hmac iso soc pci dss nist`.split(/\s+/),
);
/**
 * A name ending in one of these is a role, team or regulator ("Offerwall Providers", "Privacy Team",
 * "Information Commissioner's Office"), not an organisation, unless a legal suffix follows ("Meta Platforms, Inc.").
 */
export const ROLE_NOUNS: ReadonlySet<string> = new Set(
  'provider providers partner partners party parties user users advertiser advertisers affiliate affiliates vendor vendors processor processors consumer consumers resident residents subsidiaries companies member members customer customers authority authorities agency agencies website websites site sites platform platforms program programs team teams department office desk officer commission commissioner ombudsman regulator regulators'.split(' '),
);
/** Trailing words dropped from a name: "Google Privacy Policy" is about Google. */
export const TRAILING_NON_NAME_WORDS: ReadonlySet<string> = new Set(
  'privacy policy policies notice statement terms conditions agreement act law regulation cookie cookies'.split(' '),
);
