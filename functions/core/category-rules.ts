/**
 * What makes a clause about each category, as data: weighted cues tested against the lower-cased
 * clause. A category's score is the sum of the weights of the cues that match (each cue counts once,
 * so a long clause cannot win on repetition); a category applies at CATEGORY_THRESHOLD.
 *
 * Weights: 3 = decisive on its own ("we retain", "cookies"); 2 = enough alone but softer; 1 = a
 * hint that needs a second cue or a heading. The cues describe the language of the practice, not
 * of any one policy, so they carry over to policies this project has never seen.
 */
import type { Category } from './types.ts';
import { REGION_NAMES_LOWER_SOURCE } from './regions.ts';

/** One weighted cue for a category. */
export interface CategoryRule {
  /** Points the category earns when the pattern matches at least once. */
  weight: number;
  /**
   * Words a match can begin with. A match is only tried where a clause word starts with one of
   * them (compared on the first 4 letters; shorter starts are whole words; '#' is any number):
   * most cues are absent from most clauses, and this is what keeps a call fast.
   */
  starts: readonly string[];
  /** Written against the lower-cased clause with whitespace collapsed (see `prepareClause`). */
  pattern: RegExp;
}

/** Score at which a category applies to a clause. */
export const CATEGORY_THRESHOLD = 2;
/** What a matching heading trail adds: context only, never enough on its own. */
export const HEADING_WEIGHT = 1;

const rule = (weight: number, starts: readonly string[], pattern: RegExp): CategoryRule => ({ weight, starts, pattern });

// A duration ("30 days", "twelve (12) months", "several years"), shared by retention cues.
const DURATION = String.raw`(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|thirty|forty|forty-five|sixty|ninety|several|a few)(?: \(\d+\))?[ -](?:business |calendar )?(?:days?|weeks?|months?|years?)`;
const DURATION_STARTS = ['#', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'fifteen', 'eighteen', 'twenty', 'thirty', 'forty', 'sixty', 'ninety', 'several', 'a'];
const RECIPIENTS = String.raw`(?:third[- ]part(?:y|ies)|(?:business |marketing |advertising |trusted |external |selected )?partners?|(?:[a-z-]+ )?providers?|(?:data )?processors?|sub-?processors?|vendors?|suppliers?|contractors?|agents?|affiliat(?:es?|ed (?:companies|entities))|subsidiaries|group companies|advertisers|ad networks?|law enforcement|(?:public|government(?:al)?|regulatory|judicial|tax) (?:authorit(?:y|ies)|bodies|agencies)|authorities|regulators?|courts?|other (?:companies|users|organi[sz]ations|businesses|parties)|successors?|purchasers?|acquirers?|buyers?)`;

/** The cues of each category. Comments say why a cue is shaped or weighted the way it is. */
export const CATEGORY_RULES: Readonly<Record<Category, readonly CategoryRule[]>> = {
  collection: [
    // "we collect" as the main verb; "the information we collect" is a back-reference, not a statement.
    rule(3, ['we'], /(?<!(?:information|data|details|content) (?:that |which )?)\bwe (?:may |might |also |will |automatically |only |do |can |could |directly |generally |routinely |not )*(?:collect|obtain|gather|acquire)(?:s|d|ed)?\b/),
    rule(3, ['is', 'are', 'be', 'being', 'been', 'was', 'were', 'automatically', 'automatic'], /\b(?:is|are|be|being|been|was|were) (?:automatically |directly |also |only )?(?:collected|gathered|obtained)\b|\bautomatically[- ](?:collect|gather|record|log)\w*|\bautomatic data collection\b/),
    rule(2, ['information', 'data', 'details', 'content', 'you'], /\b(?:information|data|details|content) (?:that |which )?you (?:provide|give|submit|enter|upload|share)|\byou (?:may |can |choose to |also )*(?:provide|give|submit|upload) (?:us |to us )?(?:with )?(?:your |certain |some |any |the |such |personal )*(?:information|data|details|name|content|photos?)\b/),
    // Inferences drawn about people are data collected about them (CCPA's "inferences").
    rule(3, ['we', 'inferences', 'inference', 'inferred'], /\bwe (?:may |also |might |can )*(?:infer|derive|deduce)s?\b|\binferences?\b|\binferred (?:data|information|characteristics|interests|attributes)\b/),
    rule(1, ['collect', 'we'], /\bcollect\w*|\bwe (?:may )?(?:receive|request|record|log)\b/),
    rule(1, ['ip', 'device', 'browser', 'operating', 'geolocation', 'precise', 'date', 'phone', 'payment', 'credit', 'usage', 'log', 'contact', 'demographic'], /\b(?:ip address(?:es)?|device (?:information|identifiers?|type|model)|browser type|operating system|geolocation|precise location|date of birth|phone number|payment information|credit card|usage (?:data|information)|log (?:data|information)|contact details|demographic)/),
    // Sources that only ever supply data: a clause naming one is about where data comes from.
    rule(2, ['from'], /\bfrom (?:data brokers?|(?:other )?data (?:providers|suppliers|vendors)|public (?:databases|records|sources)|publicly available (?:databases|records|sources|information)|people[- ]search)\b/),
    // Data kinds that are always a collection decision when they appear (phone contents, senses).
    rule(2, ['contact', 'contacts', 'address', 'call', 'calls', 'sms', 'text', 'photo', 'photos', 'camera', 'microphone', 'precise', 'gps', 'health', 'social', 'government', 'passport', 'driver', 'browsing', 'search'], /\b(?:contacts? lists?|contacts|address books?|call (?:logs?|history|records)|sms(?: messages)?|text messages|photo (?:library|gallery|roll)|camera roll|microphone|camera access|precise (?:location|geolocation)|gps (?:location|coordinates|data)|health (?:data|information)|social security numbers?|government[- ]issued (?:id|identification)|passport (?:numbers?|details)|driver'?s licen[cs]e|browsing history|search history)\b/),
    rule(1, ['from', 'register', 'registration', 'sign', 'signing'], /\bfrom (?:third[- ]part(?:y|ies)|other sources|publicly available sources|our partners|social (?:media|networks?))\b|\bregist(?:er|ration)\b|\bsign(?:ing)? up\b/),
  ],
  use: [
    // "we use your information": the object must be data, so "we use cookies" stays tracking.
    rule(3, ['we'], /\bwe (?:may |might |also |will |only |can |could |do |then |further |not )*(?:use|process|utili[sz]e|analy[sz]e|combine)s? (?:the |your |this |that |such |these |those |all |any |some |certain |collected |aggregated |de-identified |anonymi[sz]ed |personal |usage |contact )*(?:(?:[a-z-]+ )?(?:information|data|details|content|history|records|activity)|it|them|email address(?:es)?)\b/),
    rule(3, ['information', 'data', 'details'], /\b(?:information|data|details)\b[^.;]{0,50}?\b(?:is|are|will be|may be|might be|can be|shall be|be) (?:only |also |primarily )?(?:used|processed|utili[sz]ed)\b/),
    rule(2, ['used', 'process', 'for', 'purpose'], /\b(?:used|process(?:ed)?) (?:for|to) (?:the following |these |other |marketing |internal )?(?:purposes?|provide|improve|personali[sz]e|operate|develop|send|communicate|deliver|analy[sz]e|understand|detect|prevent|customi[sz]e)\b|\bfor the following purposes\b|\bpurposes? (?:of|for) (?:which|processing|the processing)\b/),
    // Research is a purpose of its own ("and for our own product research").
    rule(2, ['for', 'product'], /\bfor (?:our own |internal )?(?:product |market |scientific |academic )?research\b|\bproduct (?:research|development)\b/),
    // Training models on user data is a purpose of its own, whatever the data is.
    rule(3, ['train', 'training', 'trains', 'trained', 'fine'], /\b(?:train(?:s|ed|ing)?|fine[- ]?tun\w*)\b(?: and \w+)? (?:our |the |its |their |new |future |third[- ]party )?(?:ai|artificial intelligence|machine[- ]learning|ml|algorithms?|(?:ai |ml |language |machine[- ]learning )?models?|large language models?|llms?|neural networks?)\b/),
    rule(2, ['improve', 'improving', 'develop', 'developing', 'build', 'building'], /\b(?:improv\w*|develop\w*|build\w*)\b(?: and \w+)? (?:our |the |its |their )?(?:ai|artificial intelligence|machine[- ]learning|algorithms|(?:ai |ml |language )?models)\b/),
    rule(1, ['to', 'in'], /\b(?:to|in order to) (?:provide|improve|personali[sz]e|operate|maintain|develop|customi[sz]e|enhance) (?:and \w+ )?(?:our |the )?(?:services?|products?|site|website|app|platform|experience)\b/),
    rule(1, ['purpose', 'direct', 'profiling', 'automated'], /\bpurposes?\b|\bdirect marketing\b|\bprofiling\b|\bautomated decision/),
  ],
  sharing: [
    // A disclosure verb with a recipient: the defining shape of a sharing clause.
    rule(3, ['share', 'sharing', 'disclose', 'provide', 'transfer', 'pass', 'make', 'made', 'send', 'sent', 'rent', 'give'], new RegExp(String.raw`\b(?:share[sd]?|sharing|disclos(?:e|es|ed|ing|ure)|provid(?:e|es|ed|ing)|transfer(?:s|red|ring)?|pass(?:es|ed)?(?: on)?|make (?:[\w']+ ){0,3}?available|made available|sen[dt]|rent|give)\b[^.;]{0,80}?\b(?:to|with)\b[^.;]{0,40}?\b${RECIPIENTS}\b`)),
    // "We may share personal information" states a disclosure even before naming who receives it.
    rule(3, ['we'], /\bwe (?:may |might |will |can |could |also |do |not |sometimes |occasionally |only |never |then |(?:are|be|is|may be|might be) (?:required|compelled|obliged|obligated|permitted|asked) to )*(?:share|disclose|pass on|hand over|release)s? (?:your |the |this |that |such |certain |some |any |all |limited |personal |aggregated |de-identified |account |usage |contact )*(?:information|data|details|content)\b(?![^.;]{0,20}?\bto you\b)/),
    // A recipients list item ("To marketing service providers …") under a disclosure heading.
    // Only at the clause start: "to prevent interception by third parties" is no recipient.
    rule(1, ['to'], new RegExp(String.raw`(?<=^(?:[-*\u2022] ?)?)to (?:\w+ ){0,3}?${RECIPIENTS}\b`)),
    // Legal process is disclosure to authorities, whether or not the clause says "share".
    rule(1, ['subpoena', 'court', 'law', 'legal', 'warrant', 'judicial', 'government'], /\b(?:subpoenas?|court orders?|law enforcement|legal process|(?:a|any|valid|search|court|such) warrants?|judicial (?:orders?|proceedings?)|government(?:al)? requests?)\b/),
    // Recipients free to use the data for themselves: the line between a processor and a disclosure.
    rule(3, ['for', 'their'], /\bfor their own (?:purposes|marketing|benefit|advertising|commercial purposes)\b/),
    rule(2, ['with', 'recipient', 'categories'], /\bwith whom\b|\brecipients?\b|\bcategories of third parties\b/),
    // Business transfers are disclosures to a buyer even when the clause never says "share".
    rule(2, ['merger', 'acquisition', 'bankruptcy', 'reorganization', 'divestiture', 'business', 'liquidation'], /\b(?:merger|acquisition|bankruptcy|reorgani[sz]ation|divestiture|business transfers?|liquidation)\b/),
    rule(1, ['third', 'service', 'sub', 'subprocessor', 'processors', 'vendors', 'contractors', 'affiliates', 'subsidiaries', 'business'], /\bthird[- ]part(?:y|ies)\b|\b(?:service providers?|sub-?processors?|processors|vendors|contractors|affiliates|subsidiaries|business partners)\b/),
    rule(1, ['share', 'shares', 'shared', 'sharing', 'disclose', 'disclosed', 'discloses', 'disclosing', 'disclosure', 'disclosures'], /\b(?:shar(?:e|es|ed|ing)|disclos\w*)\b/),
  ],
  sale: [
    rule(3, ['sell', 'sold', 'rent', 'trade', 'information', 'data'], /\b(?:sell|sells|selling|sold|rent|rents|renting|rented|trade|trades|trading|traded)\b[^.;]{0,50}?\b(?:personal (?:information|data)|your (?:personal )?(?:information|data)|(?:information|data) (?:about|of|from) (?:you|our users|consumers))|\b(?:information|data)\b[^.;]{0,40}?\b(?:be|is|are|been) (?:sold|rented|traded)\b/),
    // Selling or renting any kind of user data ("sell or rent your email address and profile").
    rule(3, ['sell', 'sells', 'selling', 'sold', 'rent', 'rents', 'renting', 'rented'], /\b(?:sell|sells|selling|sold|rent|rents|renting|rented)\b(?: (?:or|and|and\/or) (?:sell|rent|lease|trade|license|share|disclose)\w*)?[^.;]{0,50}?\b(?:information|data|email address(?:es)?|profiles?|contact (?:details|lists?)|mailing lists?|user lists?)\b/),
    // A disclosure for the recipient's own marketing or for money is a sale/"share" (CCPA, Shine the Light).
    rule(3, ['share', 'shares', 'shared', 'sharing', 'disclose', 'discloses', 'disclosed', 'provide', 'provides', 'provided', 'make', 'made', 'transfer', 'give', 'pass', 'license'], /\b(?:share[sd]?|sharing|disclos\w*|provid(?:e|es|ed|ing)|make|made|transfer\w*|give|pass(?:es|ed)?|licen[cs]e)\b[^.;]{0,100}?\bfor (?:(?:their|its) own (?:direct )?(?:marketing|advertising|commercial)|(?:those |such |the |these )?(?:third[- ]part(?:y|ies)|partners?|companies)'?s? (?:own )?(?:direct )?(?:marketing|advertising)|commercial purposes|(?:monetary|valuable) (?:consideration|compensation|value|gain)|money)\b/),
    // Using data to target ads is "sharing for cross-context behavioral advertising" (CCPA).
    rule(3, ['target', 'targets', 'targeted', 'targeting'], /\btarget(?:s|ed|ing)? (?:advertising|ads|advertisements|marketing|campaigns)\b|\btarget(?:s|ed|ing)? (?:you|users|people|donors|customers) with (?:ads|advertising|advertisements)\b/),
    // Removing the way to switch advertising off is a change to the sale/ads opt-out.
    rule(2, ['ad', 'ads', 'advertising', 'advertisements', 'personalized', 'targeted', 'turn', 'disable', 'switch', 'opt'], /\b(?:ads?|advertising|advertisements|ad push|personali[sz]ed ads|targeted ads)\b[^.;]{0,60}?\b(?:turn(?:ed)? (?:it |them |this )?off|disabl\w*|switch(?:ed)? (?:it |them )?off|opt[- ]?out)\b|\b(?:turn|disable|switch) off (?:the )?(?:ads?|advertising|ad push|personali[sz]ed ads)\b/),
    rule(3, ['sale', 'do', 'opt', 'optout', 'cross', 'valuable'], /\bsale of (?:your |their |consumers' )?(?:personal )?(?:information|data)\b|\bdo not sell\b|\bopt[- ]?out of (?:the )?(?:sale|selling|sharing|targeted|interest-based|personali[sz]ed)|\bcross[- ]context behaviou?ral advertising\b|\bvaluable consideration\b/),
    // Ads chosen from a profile are a "share" under CPRA; plain ad measurement is not.
    rule(2, ['targeted', 'interest', 'personalized', 'behavioral', 'tailored', 're', 'retargeted', 'remarketing'], /\b(?:targeted|interest[- ]based|personali[sz]ed|behaviou?ral|tailored|re-?targeted) (?:ads|advertising|advertisements|adverts)\b|\bre-?targeting\b|\bremarketing\b/),
    rule(1, ['ad', 'advertising', 'financial', 'shine', '603a'], /\b(?:ad(?:vertising)? (?:networks?|partners?|companies|providers?|exchanges?)|advertisers)\b|\bfinancial incentives?\b|\bshine the light\b|\b603a\b/),
    rule(1, ['advertising', 'advertise', 'advertisement', 'advertisements', 'advertisers', 'ads', 'ad'], /\badvertis\w*|\bads\b|\bad\b(?! hoc| (?:networks?|partners?|companies|providers?|exchanges?)\b)/),
    rule(1, ['sell', 'sale', 'sold'], /\b(?:sell\w*|sale|sold)\b/),
  ],
  retention: [
    // "retain the right" is a reservation, not storage; "collected and retained" is incidental.
    rule(3, ['retain', 'retained', 'retention'], /\bretain(?:s|ing)?\b(?! (?:the|all|any|our|its) rights?)|(?<!\b(?:and|or) )\bretained\b|\bretention\b/),
    rule(3, ['keep', 'kept', 'store', 'hold', 'held', 'maintain', 'preserve', 'save', 'archive', 'retained'], new RegExp(String.raw`\b(?:keep|keeps|kept|keeping|store|stores|stored|storing|hold|holds|held|maintain|maintains|maintained|preserve[sd]?|save[sd]?|archived?|retained)\b[^.;]{0,60}?(?:\bfor (?:a (?:period|maximum|minimum) of |up to |at least |a maximum of |no (?:longer|more) than |approximately |about )?${DURATION}|\bas long as\b|\buntil\b|\bno longer than\b|\bfor the (?:duration|life|lifetime|period)\b|\bindefinitely\b|\bpermanently\b)`)),
    rule(2, ['delete', 'erase', 'purge', 'destroy', 'anonymize', 'de', 'deidentify'], /\b(?:delet|eras|purg|destroy|anonymi[sz]|de-identif)\w*\b[^.;]{0,50}?\b(?:after|once|at the end of|upon (?:expiry|expiration|termination|closure))\b/),
    rule(2, ['as', 'no', 'storage', 'litigation'], /\bas long as (?:is |it is |reasonably |strictly )?(?:necessary|needed|required)\b|\bno longer (?:than (?:is )?)?(?:necessary|needed|required)\b|\bstorage (?:period|limitation|duration)\b|\blitigation hold\b/),
    rule(1, DURATION_STARTS, new RegExp(String.raw`\b${DURATION}\b`)),
    rule(1, ['backup', 'archive', 'log', 'logs', 'indefinitely', 'in', 'delete'], /\bbackups?\b|\barchives?\b|\blogs?\b|\bindefinitely\b|\bin perpetuity\b|\bdelet\w*/),
  ],
  rights: [
    // A default setting is the user's choice made for them: "off by default" → "on by default".
    rule(3, ['on', 'off', 'enabled', 'disabled', 'turned', 'switched'], /\b(?:(?:turned|switched) )?(?:on|off|enabled|disabled|opted[- ]in|opted[- ]out) by default\b/),
    // Automated decisions and the human review of them (GDPR Art. 22, and state laws like it).
    rule(3, ['human'], /\bhuman (?:review|intervention|reviewer)\b/),
    rule(2, ['automated', 'made'], /\bautomated (?:individual )?decisions?(?:[- ]making)?\b|\bmade automatically\b/),
    rule(3, ['right'], /\brights? (?:not to be subject|to not be subject|to human intervention|to contest)\b|\brights? (?:of|to)\b[^.;]{0,30}?\b(?:access|eras\w*|rectif\w*|delet\w*|correct\w*|portab\w*|object|restrict\w*|forgotten|opt|withdraw|complain|know|discriminat\w*|appeal|limit|informed|inspect|adjust|copy)/),
    rule(3, ['you', 'user', 'consumer', 'data', 'individual', 'resident', 'parent'], /\b(?:you|users?|consumers?|data subjects?|individuals?|residents?|parents?)\b(?: \w+){0,3}? (?:may|can|could|are entitled to|is entitled to|are able to|have the (?:right|option|ability) to)\b[^.;]{0,40}?\b(?:request|ask|access|review|correct|update|delete|erase|rectify|download|export|object|restrict|opt|withdraw|unsubscribe|amend|deactivate|lodge|complain|appeal|inspect)/),
    rule(3, ['exercise', 'withdraw', 'lodge', 'file', 'make', 'submit', 'bring', 'non', 'nondiscrimination', 'discriminate'], /\bexercis\w* (?:of )?(?:your|any|these|such|the|their|those|certain)\b[^.;]{0,30}?\brights?\b|\bwithdraw\w* (?:your |their |such |this |that )?consent\b|\b(?:lodge|file|make|submit|bring) a complaint\b|\bnon-?discriminat\w*|\bdiscriminate against you\b/),
    rule(3, ['request', 'ask'], /\b(?:request|ask us) (?:to |that we )?(?:access|delet|eras|correct|rectif|restrict|a copy|port)\w*/),
    rule(2, ['your', 'these', 'such', 'the', 'their', 'privacy', 'data', 'consumer', 'ccpa', 'gdpr', 'legal', 'subject', 'verifiable', 'deletion', 'access', 'opt', 'authorized'], /(?<!fundamental |(?:impact|effect|affect|affects|affecting|prejudice|protect|enforce|defend)(?: on| upon)? )\b(?:your|these|such|the|their|privacy|data protection|consumer|ccpa|gdpr|legal) rights\b|\b(?:data subject|subject access|consumer|verifiable(?: consumer)?|deletion|access|privacy|opt-out) requests?\b|\bauthori[sz]ed agent\b/),
    // Answering requests is part of honouring rights ("we will respond to all requests within one month").
    rule(2, ['opt', 'opting', 'optout', 'unsubscribe', 'portability', 'rectification', 'erasure', 'be', 'object', 'respond'], /\bopt(?:ing)?[- ]?out\b|\bunsubscrib\w*|\b(?:portability|rectification|erasure|be forgotten)\b|\bobject(?:ion)? to\b|\brespond\w* to (?:your |all |any |a |the |such |these )?(?:\w+ ){0,2}requests?\b/),
    rule(1, ['supervisory', 'data', 'appeal', 'verify'], /\bsupervisory authorit\w*|\bdata protection authorit\w*|\bappeal\b|\bverify (?:your|their) identity\b/),
  ],
  children: [
    rule(3, ['child', 'minor', 'a', 'are', 'is'], /\bchild(?:ren)?(?:'s)?\b|\bminors\b|\bminor(?:'s| child| children| users?)\b|\b(?:a|are|is) minor\b(?! (?:change|edit|update|modification|revision|amendment|correction))/),
    rule(3, ['under', 'below', 'younger', 'older', 'over'], /\b(?:under|below|younger than|older than|over) (?:the age of |age )?(?:\d{1,2}|thirteen|sixteen|eighteen)\b(?! (?:days?|weeks?|months?|hours?|minutes?|%|percent|business|calendar|times|years?(?! (?:old|of age))))/),
    rule(3, ['#', 'aged', 'age', 'minimum'], /\b\d{1,2} years? (?:old|of age)\b|\baged? (?:\d{1,2}|between)\b|\bage of (?:majority|consent|digital consent|\d{1,2})\b|\bminimum age\b|\bage (?:verification|requirements?|gate|limit)\b/),
    // An eligibility age: "You must be at least 18 to use BudgetBee", "be 16 or older".
    rule(3, ['be'], /\bbe (?:at least |over )?(?:\d{1,2}|thirteen|sixteen|eighteen|twenty-one)(?: years?(?: old| of age)?)?(?: or older)?\b(?! (?:days?|weeks?|months?|hours?|minutes?|%|percent|characters?|digits?|times))/),
    rule(3, ['coppa', 'children', 'parental'], /\bcoppa\b|children's online privacy|\bparental (?:consent|permission|controls?)\b/),
    rule(2, ['teen', 'kids', 'youth'], /\bteens?\b|\bteenagers?\b|\bkids\b|\byouth\b/),
    rule(1, ['parent', 'guardian', 'student'], /\bparents?\b(?! compan)|\bguardians?\b|\bstudents?\b/),
  ],
  transfers: [
    rule(3, ['international', 'cross', 'transborder', 'overseas', 'onward', 'transfer'], /\b(?:international(?:ly)?|cross[- ]border|transborder|overseas|onward)\b[^.;]{0,30}?\btransfer\w*|\btransfer\w*\b[^.;]{0,30}?\b(?:internationally|across borders|abroad|overseas)\b/),
    rule(3, ['transfer'], /\btransfer\w*\b[^.;]{0,60}?\b(?:outside (?:of )?(?:the |your )?(?:eea|european|uk|united kingdom|switzerland|country|countries|jurisdiction|region)|to (?:other|third|another|different) (?:countries|country|jurisdictions?)|(?:in|to) (?:any )?countr(?:y|ies)\b)/),
    rule(3, ['standard', 'scc', 'sccs', 'binding', 'privacy', 'data', 'adequacy', 'equivalent', 'same'], /\bstandard contractual clauses\b|\bsccs?\b|\bbinding corporate rules\b|\bprivacy shield\b|\bdata privacy framework\b|\badequacy (?:decision|regulation|finding)s?\b|\b(?:adequate|equivalent|same) (?:level|standard) of (?:data )?protection\b/),
    // Storage somewhere named: "servers located in the United States", "data centers in Germany".
    // Also people working on the data from somewhere: "our support team is based in South Africa"
    // (where users are located is the policy's scope, not a transfer).
    rule(3, ['servers', 'data', 'facilities', 'hosted', 'stored', 'processed', 'maintained', 'transferred', 'based', 'located', 'process'], new RegExp(String.raw`\b(?:servers?|data ?cent(?:er|re)s?|datacent(?:er|re)s?|facilities|hosted|stored|processed|maintained|transferred|process|(?<!\b(?:you|you are|you're|who are|individuals?|users?|residents?|people|persons?|customers?) )(?:based|located))\b[^.;]{0,40}?\b(?:in|within|to) (?:the )?(?:${REGION_NAMES_LOWER_SOURCE}|(?:different|other|multiple|various|many) countries)\b`)),
    rule(2, ['country', 'outside', 'less', 'law', 'laws'], /\bcountr(?:y|ies) (?:other than|outside)\b|\boutside (?:of )?(?:the |your )?(?:country|countries|jurisdiction|eea|european economic area|european union|uk|united kingdom)\b|\bless protective\b|\blaws? (?:that )?(?:may )?(?:be |are )?(?:different|differ)/),
    // "We will ensure your information is processed as this Policy and the law require": in a
    // transfers section this is the safeguard for data sent abroad (a hint; the heading decides).
    rule(1, ['ensure', 'ensures', 'guarantee', 'measures'], /\b(?:ensure|ensures|guarantee|measures to ensure)\b[^.;]{0,60}?\b(?:information|data)\b[^.;]{0,30}?\b(?:is|are|will be|remains?) (?:processed|protected|treated|handled|safeguarded)\b/),
    rule(1, ['eea', 'european', 'eu', 'switzerland', 'united', 'uk', 'gdpr', 'other', 'cross'], /\b(?:eea|european economic area|european union|eu|switzerland|united kingdom|uk|gdpr)\b|\bother countries\b|\bcross[- ]border\b/),
  ],
  security: [
    rule(3, ['encrypt', 'security', 'technical', 'administrative', 'physical', 'appropriate', 'reasonable', 'industry', 'protective'], /\bencrypt\w*|\b(?:security|technical(?: and|,) (?:organi[sz]ational|administrative|physical)|administrative(?:,| and) (?:technical|physical)|physical(?:,| and) (?:technical|electronic|administrative)|appropriate|reasonable|industry[- ]standard|protective) (?:security )?(?:measures|safeguards|precautions|controls|procedures)\b/),
    rule(3, ['data', 'security', 'personal', 'privacy', 'breach', 'no', 'not', 'cannot'], /\b(?:data|security|personal data|privacy) (?:breach|incident)\w*|\bbreach notification\b|\bno (?:method|system|transmission|security)\b[^.;]{0,60}\bsecure\b|\bnot (?:entirely |completely |100% )?secure\b|\bcannot (?:guarantee|ensure)[^.;]{0,30}\bsecur/),
    rule(2, ['ssl', 'tls', 'https', 'unauthorized', 'firewall', 'access', 'two', 'multi', '2fa', 'pseudonymization', 'penetration', 'vulnerability', 'intrusion', 'malware', 'ddos', 'hashed'], /\b(?:ssl|tls|https)\b|\bunauthori[sz]ed (?:access|use|disclosure|alteration|processing|acquisition)\b|\b(?:firewalls?|access controls?|(?:two|multi)[- ]factor|2fa|pseudonymi[sz]\w*|penetration test\w*|vulnerabilit\w*|intrusion|malware|ddos|hashed|hashing)\b/),
    rule(1, ['secure', 'safeguard', 'protect', 'loss', 'misuse', 'theft', 'destruction', 'alteration', 'breach'], /\bsecur(?:e|ely|ity)\b|\bsafeguard\w*|\bprotect\w*|\b(?:loss|misuse|theft|destruction|alteration)\b|\bbreach\w*/),
  ],
  biometrics: [
    rule(3, ['biometric', 'face', 'facial', 'fingerprint', 'voice', 'retina', 'iris', 'hand', 'palm', 'bipa'], /\bbiometric\w*|\bfac(?:e|ial) (?:recognition|geometry|scans?|scanning|templates?|prints?|id|data)\b|\bfaceprints?\b|\bfingerprints?\b|\bvoice ?prints?\b|\bretina\w*|\biris scan\w*|\bhand geometry\b|\bpalm ?prints?\b|\bbipa\b/),
    rule(2, ['facial', 'voice', 'face'], /\bfacial features\b|\bvoice recordings?\b|\bface (?:unlock|detection)\b/),
    // A body part measured to tell people apart ("voice profile", "speaker recognition", "vein
    // pattern", "your face matches the photo on your ID"; what the first cue names is left to it,
    // so one phrase never counts twice), or its measurement named the other way round ("the
    // geometry of your face", "a scan of your face").
    rule(3, ['face', 'facial', 'voice', 'speaker', 'palm', 'vein', 'iris', 'gait', 'keystroke', 'finger', 'heart'],
      /\b(?!fac(?:e|ial) (?:recognition|geometry|scans?|templates?|prints?)\b|voice ?prints?\b|palm ?prints?\b)(?:face|facial|voice|speaker|palm|vein|iris|gait|keystroke|finger|heart[- ]rhythm)[- ](?:recognition|geometry|templates?|landmarks?|profiles?|matching|match(?:es)?|signatures?|verification|identification|scans?|patterns?|dynamics|prints?)\b/),
    rule(3, ['geometry', 'scan', 'scans', 'scanning', 'template', 'templates', 'landmarks', 'measurements', 'shape', 'pattern', 'patterns'],
      /\b(?:geometry|scans?|scanning|templates?|landmarks|measurements|shape|patterns?) of (?:your |the user's |a person's |their |the )?(?:face|hands?|palms?|voice|eyes|fingers|veins|iris)\b/),
  ],
  tracking: [
    rule(3, ['cookie', 'pixel', 'web', 'beacon', 'clear', 'do', 'global'], /\bcookies?\b|\bpixel tags?\b|\bpixels?\b|\b(?:web )?beacons?\b|\bclear gifs?\b|\bweb bugs?\b|\bdo[- ]not[- ]track\b|\bglobal privacy control\b/),
    rule(3, ['google', 'adobe', 'firebase', 'mixpanel', 'hotjar', 'local', 'browser', 'device', 'fingerprinting', 'tracking', 'similar', 'automatic'], /\b(?:google|adobe|firebase) analytics\b|\bmixpanel\b|\bhotjar\b|\blocal storage\b|\blocal shared objects\b|\b(?:browser|device) fingerprint\w*|\bfingerprinting\b|\b(?:tracking|similar|automatic data collection) technolog\w*|\btracking tools?\b/),
    rule(2, ['analytics', 'sdk', 'sdks', 'software', 'device', 'advertising', 'mobile', 'ad', 'unique', 'idfa', 'gaid', 'aaid', 'idfv'], /\banalytic(?:s|al)? (?:tools?|services?|providers?|partners?|cookies|software|companies|technolog\w*)\b|\bsdks?\b|\bsoftware development kits?\b|\b(?:device|advertising|mobile(?: advertising)?|ad|unique) (?:identifiers?|ids?)\b|\b(?:idfa|gaid|aaid|idfv)\b/),
    rule(2, ['over', 'across'], /\b(?:over time and )?across (?:different |multiple |other |third[- ]party )?(?:websites|sites|apps|applications|platforms|devices|online services)\b/),
    rule(1, ['track', 'analytics', 'browser', 'clickstream', 'log', 'browsing'], /\btrack(?:s|ed|ing)?\b|\banalytic\w*|\bbrowser (?:settings?|level)\b|\bclickstream\b|\blog files?\b|\bbrowsing (?:history|behaviou?r|actions)\b/),
  ],
  'legal-basis': [
    rule(3, ['legal', 'lawful', 'ground', 'basis', 'article', 'art'], /\b(?:legal|lawful) (?:basis|bases|grounds?)\b|\bgrounds? for processing\b|\bbasis for (?:the )?processing\b|\barticle 6\b|\bart\. ?6\b/),
    rule(3, ['performance', 'necessary', 'contractual', 'on', 'based', 'rely', 'relies'], /\bperformance of (?:a |the |our |any )?contract\b|\bnecessary (?:for|to) (?:the )?perform\w*(?: of)? (?:a |the |our )?contract|\bcontractual necessity\b|\b(?:on the basis of|based on|rel(?:y|ies|ying) (?:on|upon)) (?:your )?(?:explicit |express |prior )?consent\b/),
    rule(2, ['legitimate', 'vital', 'official'], /\blegitimate interests?\b|\bvital interests?\b|\bofficial authority\b/),
    rule(1, ['legal', 'public', 'rely', 'relies'], /\blegal obligations?\b|\bpublic interest\b|\brel(?:y|ies|ying) (?:on|upon)\b/),
  ],
  'policy-changes': [
    rule(3, ['update', 'change', 'modify', 'amend', 'revise', 'policy', 'notice', 'statement', 'terms'], /\b(?:update[sd]?|chang(?:e|es|ed)|modif(?:y|ies|ied)|amend(?:s|ed)?|revis(?:e|es|ed))\b[^.;]{0,40}?\b(?:this|our|these) (?:privacy |cookie |data )?(?:policy|notice|statement|terms|agreement)\b|\b(?:policy|notice|statement|terms)\b[^.;]{0,30}?\b(?:was|is|has been|will be|may be) (?:last )?(?:updated|changed|modified|amended|revised)\b/),
    rule(3, ['notify', 'inform', 'tell', 'alert', 'notice'], /\b(?:notify|inform|tell|alert|notice to) (?:you )?(?:of |about |before |prior to )?(?:any |such |these |the )?(?:material |significant |substantial |major )?(?:changes?|updates?|modifications?|revisions?)\b/),
    rule(2, ['material', 'significant', 'substantial', 'major', 'effective', 'last', 'continue'], /\b(?:material|significant|substantial|major) (?:changes?|modifications?|updates?|revisions?)\b|\beffective (?:date|as of)\b|\blast (?:updated|modified|revised|changed)\b|\bcontinu(?:e|ed|es|ing) (?:to )?(?:use|access|using|accessing)\b/),
    rule(2, ['latest', 'current', 'most', 'updated', 'new', 'revised', 'previous', 'prior', 'post', 'publish', 'release', 'review'], /\b(?:latest|current|most recent|updated|new|revised|previous|prior) versions?\b|\b(?:post|publish|release)\w* (?:the |an |a )?(?:updated|revised|new|latest|amended)\b|\breview (?:this|the) (?:page|policy|notice|privacy policy|privacy notice)\b/),
    // Advance notice ("at least 30 days before they take effect") is the core promise of this category.
    rule(2, ['before', 'prior', 'take', 'takes', 'come', 'comes', 'become', 'becomes', 'we'], /\b(?:before|prior to) (?:they|the changes?|it|such changes?|the (?:updated|revised|new) (?:policy|notice|terms)|(?:its|their) effective date) (?:take|takes|come|comes|become|becomes)? ?(?:effect|effective|into (?:effect|force))\b|\b(?:take|takes|come|comes|become|becomes) (?:into )?(?:effect|effective|into force)\b|\bwe (?:make|made) (?:any |material |significant |substantial |major )*changes\b/),
    rule(1, ['from', 'periodically'], /\bfrom time to time\b|\bperiodically\b/),
  ],
  contact: [
    rule(2, ['contact', '@', 'data', 'dpo', 'privacy'], /\bcontact(?:ing)? (?:us|our|me)\b|(?<=[a-z0-9._%+-])@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b|\bdata protection officer\b|\bdpo\b|\bprivacy (?:officer|team|office|department)\b/),
    rule(2, ['write', 'email', 'e', 'mail', 'call', 'reach', 'get', 'by', 'postal', 'toll', 'send'], /\b(?:write to us|e-?mail us|call us|reach us|get in touch|reach out|by (?:mail|post|phone|telephone)|mailing address|postal address|toll[- ]free|send (?:us )?an? (?:e-?mail|physical mail|letter))\b/),
    rule(1, ['question', 'concern', 'comment', 'queries', 'inquiries', 'enquiries', 'feedback'], /\b(?:questions?|concerns?|comments?|queries|inquiries|enquiries|feedback)\b/),
    rule(1, ['p', 'po', 'suite', '#', 'help', 'customer', 'support'], /\bp\.? ?o\.? box\b|\bsuite \d+|\b\d+ [a-z]+ (?:street|st|road|rd|avenue|ave|boulevard|blvd|lane|drive|gate)\b|\bhelp (?:&|and) support\b|\bcustomer (?:service|support)\b|\bsupport (?:desk|team|center|centre)\b/),
  ],
};

/** Heading words that put a clause in a category's context (weighted HEADING_WEIGHT). */
export const HEADING_RULES: Readonly<Record<Category, RegExp>> = {
  collection: /\bcollect\w*|\binformation we (?:obtain|receive)\b|\bwhat (?:information|data)\b|\b(?:types|categories) of (?:personal )?(?:information|data)\b|\bsources\b/,
  use: /\buse\b|\busage\b|\bpurposes?\b/,
  sharing: /\bshar\w*|\bdisclos\w*|\bthird[- ]part\w*|\bservice providers?\b|\bsub-?processors?\b|\bprocessors\b|\bvendors\b|\bpartners\b|\brecipients?\b|\bbusiness transfers?\b|\bwho (?:receives|gets|sees|can see)\b/,
  sale: /\bsale\b|\bsell\w*|\badvertis\w*/,
  retention: /\bretention\b|\bretain\w*|\bhow long\b|\bkeep\b|\bstorage\b|\bstore\b/,
  rights: /\brights?\b|\bchoices?\b|\baccess(?:ing)?\b|\bcontrol\b|\bopt[- ]?out\b|\bpreferences\b|\bexercis\w*|\brequests?\b/,
  children: /\bchild\w*|\bminors?\b|\bteens?\b|\bkids\b|\bage\b|\bcoppa\b|\bwho can use\b|\beligib\w*/,
  transfers: /\binternational\b|\bcross[- ]border\b|\boverseas\b|\bwhere (?:your )?(?:data|information) (?:goes|is (?:stored|processed|kept))\b|\b(?:data|information) transfers?\b|\btransfers? of (?:your )?(?:personal )?(?:data|information)\b/,
  security: /\bsecur\w*|\bprotect\w*|\bsafeguard\w*|\bencrypt\w*|\bbreach\w*/,
  biometrics: /\bbiometric\w*|\bfac(?:e|ial)\b|\bfingerprint\w*|\bvoice\b/,
  tracking: /\bcookies?\b|\btracking\b|\bdo not track\b|\banalytics\b|\bpixels?\b|\bbeacons?\b|\btechnologies\b/,
  'legal-basis': /\b(?:legal|lawful) bas[ie]s\b|\blegitimate interests?\b|\bgrounds? for processing\b/,
  'policy-changes': /\bchanges?\b|\bupdates? to\b|\bamendments?\b|\brevisions?\b|\bmodifications?\b|\beffective date\b/,
  contact: /\bcontact\w*|\bquestions\b|\bhow to reach\b|\bget in touch\b|\bdata controller\b|\bwho we are\b/,
};
