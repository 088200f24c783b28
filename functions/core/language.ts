/**
 * Which language a text sample is written in, as an ISO 639-3 code (the codes franc uses), or
 * 'und' when it cannot tell. The check only needs to notice that a page came back in another
 * language than its baseline (a geo-redirect to another language version), so it asks little:
 * - a script used by one language decides alone (Greek → ell, Hangul → kor, kana → jpn, …);
 * - for a script several languages share (Latin, Cyrillic, Arabic, Devanagari), the most frequent
 *   function words decide: every language uses its own few dozen of them in any text, whatever the
 *   subject, while two languages share only some (weighted down here by the number of sharers).
 * It says 'und' rather than guess when the script is mixed, the text has too few words, too few of
 * them are function words of a known language (another language), or the runner-up is close: a
 * wrong answer fails a good page, 'und' only skips the check.
 */

/** Scripts that one language (of those policies are written in) uses alone. */
const SINGLE_LANGUAGE_SCRIPTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\p{Script=Greek}/gu, 'ell'], [/\p{Script=Hebrew}/gu, 'heb'], [/\p{Script=Hangul}/gu, 'kor'], [/\p{Script=Thai}/gu, 'tha'],
  [/\p{Script=Georgian}/gu, 'kat'], [/\p{Script=Armenian}/gu, 'hye'], [/\p{Script=Bengali}/gu, 'ben'], [/\p{Script=Tamil}/gu, 'tam'],
  [/\p{Script=Telugu}/gu, 'tel'], [/\p{Script=Kannada}/gu, 'kan'], [/\p{Script=Malayalam}/gu, 'mal'], [/\p{Script=Gujarati}/gu, 'guj'],
  [/\p{Script=Gurmukhi}/gu, 'pan'], [/\p{Script=Oriya}/gu, 'ory'], [/\p{Script=Sinhala}/gu, 'sin'], [/\p{Script=Myanmar}/gu, 'mya'],
  [/\p{Script=Khmer}/gu, 'khm'], [/\p{Script=Lao}/gu, 'lao'], [/\p{Script=Ethiopic}/gu, 'amh'],
];

/** Function words (and a few words every privacy text uses) per language, for scripts several languages share. */
const FUNCTION_WORDS: ReadonlyArray<readonly [RegExp, Readonly<Record<string, string>>]> = [
  [/\p{Script=Latin}/gu, {
    eng: 'the of and to in a is that for it as with be on by this are or we you your our not from at an have has may will can which if any us such these other when been their they its all do would should about also how who what there than into',
    deu: 'der die das und in zu den von mit ist des für auf dem nicht ein eine sich als auch es an werden wird oder bei wir sie ihre ihrer ihren ihr unsere unser uns durch nach kann können daten personenbezogenen dass einer eines einem wenn zur zum sind haben hat diese dieser über',
    fra: 'de la le et les des en un une du que qui est à pour dans par sur pas au aux ne avec ce cette ces il nous vous vos votre nos notre sont ou être peut peuvent données personnelles si leur leurs plus aussi lorsque',
    spa: 'de la que el en y a los del se las por un para con no una su al es lo como más o pero sus le ha si sobre este esta estos también cuando sin datos personales usted nuestro nuestra nuestros puede pueden',
    por: 'de a o que e do da em um para é com não uma os no se na por mais as dos como mas ao das à seu sua ou quando nos já também pelo pela até isso seus suas dados pessoais você nossos nossa nosso podem pode este esta essas esses',
    ita: 'di e il la che a in un per è non una con i del della le dei delle al alla da si gli come ma o se sono anche più questo questa questi queste nel nella loro dati personali può possono nostro nostri tuo tuoi tua',
    nld: 'de het een en van in is dat op te voor met zijn niet aan door om als ook bij of wij we u uw onze ons die deze dit worden wordt kunnen kan naar over gegevens persoonsgegevens hebben heeft er zoals',
    pol: 'i w na z do się nie że jest to o jak dla lub oraz przez od po są może być które który która jako tym tego ich nas nasz nasze twoje twoich danych osobowych również jeśli przy czy także',
    ces: 'a se na je že v ve s z do k o pro jako by jsou nebo které který která to tak ale jeho jejich vaše vašich osobní údaje údajů také při podle mohou můžeme však tyto této být jsme',
    slk: 'a sa na je že v vo s z do k o pre ako by sú alebo ktoré ktorý ktorá to tak ale jeho ich vaše vašich osobné údaje údajov tiež pri podľa môžu môžeme však tieto tejto byť sme',
    hrv: 'i u na za je da se od s sa ne što koji koja koje kao ili će smo vi vaši vaših naši prema podaci podataka osobni osobnih osobne može mogu biti također te pri o iz ako kako nam vam',
    slv: 'in v na za je da se od s z ne ki kot ali bo smo vi vaši vaše naši naše glede podatki podatkov osebni osebne osebnih lahko biti tudi pri o iz če ter so',
    ron: 'și în de la a cu pe că nu este sunt sau care pentru din al ale ai unei unui o un dumneavoastră noastre datele datelor personale fi poate prin dacă acest această aceste să le vă',
    hun: 'a az és hogy nem is egy meg van vagy ha de csak már mint ez azt ezt amely amelyek szerint által személyes adatok adatait adatokat valamint illetve kell lehet során ön önnek',
    fin: 'ja on ei että se ovat tai kun jos myös kuin tämä joka jotka sekä voi mukaan olla sinun meidän tietoja henkilötietoja niitä mitä mutta vain ole me te näitä niiden kanssa emme voit voimme',
    ekk: 'ja on ei et see need või kui ka kes mis mida oma meie teie andmeid isikuandmeid andmete võib saab vastavalt koos ning',
    swe: 'och att i en ett det som är av för på med till den de om inte har vi du dina din ditt våra vår oss eller kan kommer vid från så även när personuppgifter dessa denna detta vara enligt samt',
    dan: 'og i at en et det som er af for på med til den de om ikke har vi du dine din dit vores os eller kan vil ved fra så også når personoplysninger oplysninger oplysningerne disse denne dette være efter mellem mig dig sig nogle nogen hvis skal bliver blive deres hvad uden anden andet bruger bruge brug giver give nu sådan gennem',
    nob: 'og i å en et det som er av for på med til den de om ikke har vi du dine din ditt våre vår oss eller kan vil ved fra så også når personopplysninger personopplysningene opplysninger opplysningene disse denne dette være etter mellom meg deg seg noen hvis skal blir bli deres hva uten annen annet bruker bruke bruk gir gi nå slik gjennom',
    tur: 've bir bu için ile veya olarak da de ki gibi her daha olan ise ancak tarafından göre sizin bize sizinle size bunların kişisel verileri verilerinizi verilerini hakkında',
    ind: 'yang dan di ke dari untuk dengan ini itu dalam tidak atau kami anda akan pada oleh dapat adalah sebagai juga kepada tersebut mereka ada bahwa karena jika seperti telah',
    vie: 'và của các là có được cho trong không này với những một để chúng tôi bạn khi theo từ hoặc về đến đã sẽ như thông tin cá nhân người nếu bởi tại cũng',
    cat: 'i de la el els les a en que per amb del dels no és un una o al als com si seu seva seus nostre nostra nostres vostre vostra vostres dades personals també pot poden aquest aquesta aquests aquestes sobre quan',
  }],
  [/\p{Script=Cyrillic}/gu, {
    rus: 'и в на с что не по для мы вы ваши ваших ваш наши наших или которые который это от к как из о при также данные данных персональные персональных может этой эти',
    ukr: 'і та в у на з до що не за як це для ми ви ваші ваших наші наших або які який від його може дані даних персональні персональних також цієї ці щодо',
    bel: 'і у на з да што не для мы вы вашы вашых нашы нашых або якія які ад яго можа дадзеныя дадзеных гэта гэтыя таксама',
    bul: 'и на за да се от в с не че е са които който която като или ще ние вие вашите нашите данни данните по при това тези също',
    srp: 'и у на за да се је од са не што који која које као или ће смо ви ваши ваших наши према подаци података личне личних може',
    mkd: 'и на во за од со да се не е што кои која кој ќе ги ја го ние вие или може според вашите нашите податоци личните',
    kaz: 'және бұл мен үшін да де бойынша деп емес болып осы біз сіз олар туралы бар немесе жеке деректер деректерді',
  }],
  [/\p{Script=Arabic}/gu, {
    arb: 'في من على إلى أن التي الذي عن هذه مع أو لا ما هو كما قد أي بيانات البيانات الشخصية لدينا يمكنك نحن',
    pes: 'و در به از که این را با است برای یا می ما شما آن شود خود اطلاعات شخصی هر',
    urd: 'کے کی میں اور ہے کو سے کا یہ ہیں پر کہ نہیں آپ ہم معلومات ذاتی',
  }],
  [/\p{Script=Devanagari}/gu, {
    hin: 'के है में की और को से का हैं यह पर लिए या भी आप हम जानकारी करते',
    mar: 'आणि आहे व की तुमच्या आम्ही करण्यासाठी आहेत नाही हे ही मध्ये सह तुमची माहिती',
    npi: 'र छ को मा हो गर्न हरू लागि हाम्रो तपाईं छन् पनि वा यो जानकारी',
  }],
];

// Addresses, domains and paths (`www.y-moto.com`, `jely.pe.kr`) are Latin letters in any language,
// and their fragments look like function words ("y", "pe").
const URL_LIKE = /[\w.~:/?#@%&=+-]*(?:\/\/|@|\.[a-z])[\w.~:/?#@%&=+-]*/gi;
const HAN = /\p{Script=Han}/gu;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const LETTER = /\p{L}/gu;
// Runs of letters and digits; a run with a digit (a commit hash, a version, a code) is no word.
const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const DIGIT = /\p{N}/u;

/** Below this many letters, or words for a shared script, the sample says too little. */
const MIN_LETTERS = 30;
const MIN_WORDS = 25;
/** The most used script must hold this share of the letters, or the text is mixed. */
const MIN_SCRIPT_SHARE = 0.6;
/** Japanese writes its grammar in kana; Chinese uses none. */
const MIN_KANA_SHARE = 0.1;
/** In running text, a language's function words are far more than this share of the words, */
const MIN_FUNCTION_WORD_SHARE = 0.15;
/** and many different ones: a repeated fragment ("y" of `y-moto`) is not a language. */
const MIN_DISTINCT_FUNCTION_WORDS = 5;
/** The winner's weighted score must lead the runner-up's by this factor. */
const MIN_LEAD = 1.5;

// word → the languages (of one script) that list it, built once.
const WORD_LANGUAGES = FUNCTION_WORDS.map(([, lists]) => {
  const index = new Map<string, string[]>();
  for (const [language, words] of Object.entries(lists)) {
    for (const word of new Set(words.split(' '))) index.set(word, [...(index.get(word) ?? []), language]);
  }
  return index;
});

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/** ISO 639-3 code of the sample's language, or 'und' when unsure (see the module comment). */
export function identifyLanguage(sample: string): string {
  const text = sample.replace(URL_LIKE, ' ');
  const letters = count(text, LETTER);
  if (letters < MIN_LETTERS) return 'und';
  const han = count(text, HAN);
  const kana = count(text, KANA);
  // Each script with its letters in the text and how it names the language.
  const scripts: Array<{ letters: number; name: () => string }> = [
    { letters: han + kana, name: () => (kana >= MIN_KANA_SHARE * (han + kana) ? 'jpn' : 'cmn') },
    ...SINGLE_LANGUAGE_SCRIPTS.map(([pattern, language]) => ({ letters: count(text, pattern), name: () => language })),
    ...FUNCTION_WORDS.map(([pattern], index) => ({ letters: count(text, pattern), name: () => scoreFunctionWords(text, WORD_LANGUAGES[index]!) })),
  ];
  const main = scripts.reduce((best, script) => (script.letters > best.letters ? script : best));
  return main.letters >= MIN_SCRIPT_SHARE * letters ? main.name() : 'und';
}

function scoreFunctionWords(sample: string, wordLanguages: ReadonlyMap<string, string[]>): string {
  // Romanian is written with ş/ţ (cedilla) as often as with ș/ț (comma).
  const words = (sample.normalize('NFC').toLowerCase().replace(/ş/g, 'ș').replace(/ţ/g, 'ț').match(WORD) ?? []).filter((word) => !DIGIT.test(word));
  if (words.length < MIN_WORDS) return 'und';
  const scores = new Map<string, { weighted: number; hits: number; distinct: Set<string> }>();
  for (const word of words) {
    const languages = wordLanguages.get(word);
    if (languages === undefined) continue;
    for (const language of languages) {
      const score = scores.get(language) ?? { weighted: 0, hits: 0, distinct: new Set() };
      score.weighted += 1 / languages.length;
      score.hits += 1;
      score.distinct.add(word);
      scores.set(language, score);
    }
  }
  const [first, second] = [...scores].sort((a, b) => b[1].weighted - a[1].weighted);
  if (first === undefined || first[1].hits < MIN_FUNCTION_WORD_SHARE * words.length || first[1].distinct.size < MIN_DISTINCT_FUNCTION_WORDS) return 'und';
  if (second !== undefined && first[1].weighted < MIN_LEAD * second[1].weighted) return 'und';
  return first[0];
}
