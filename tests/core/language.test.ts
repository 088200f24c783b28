/**
 * Privacy-policy paragraphs written for these tests (the same clauses in each language), and the
 * texts the detector must not guess about.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { identifyLanguage } from '../../functions/core/language.ts';
import { detectLanguage } from '../../functions/core/page-validity.ts';

const POLICY: Record<string, string> = {
  // English
  eng: 'We collect personal information that you provide to us when you create an account, place an order or contact our support team. This may include your name, email address, postal address and payment details. We use this information to provide and improve our services, to process your transactions and to communicate with you about your account. We do not sell your personal information to third parties. You may ask us at any time to access, correct or delete the data we hold about you.',
  // German
  deu: 'Wir erheben personenbezogene Daten, die Sie uns bei der Registrierung, bei einer Bestellung oder bei einer Anfrage an unseren Kundendienst mitteilen. Dazu gehören insbesondere Ihr Name, Ihre E-Mail-Adresse, Ihre Anschrift und Ihre Zahlungsdaten. Wir verwenden diese Daten, um unsere Dienste bereitzustellen und zu verbessern, Ihre Bestellungen abzuwickeln und mit Ihnen über Ihr Konto zu kommunizieren. Ihre Daten werden nicht an Dritte verkauft. Sie können jederzeit Auskunft über die zu Ihrer Person gespeicherten Daten verlangen und deren Berichtigung oder Löschung beantragen.',
  // French
  fra: 'Nous collectons les données personnelles que vous nous communiquez lorsque vous créez un compte, passez une commande ou contactez notre service client. Il peut s\'agir de votre nom, de votre adresse e-mail, de votre adresse postale et de vos informations de paiement. Nous utilisons ces données pour fournir et améliorer nos services, traiter vos commandes et vous informer au sujet de votre compte. Nous ne vendons pas vos données personnelles à des tiers. Vous pouvez à tout moment demander l\'accès à vos données, leur rectification ou leur suppression.',
  // Spanish
  spa: 'Recopilamos los datos personales que usted nos proporciona cuando crea una cuenta, realiza un pedido o se pone en contacto con nuestro servicio de atención al cliente. Estos datos pueden incluir su nombre, su dirección de correo electrónico, su dirección postal y sus datos de pago. Utilizamos esta información para prestar y mejorar nuestros servicios, tramitar sus pedidos y comunicarnos con usted sobre su cuenta. No vendemos sus datos personales a terceros. Puede solicitar en cualquier momento el acceso, la rectificación o la supresión de los datos que conservamos sobre usted.',
  // Portuguese
  por: 'Recolhemos os dados pessoais que você nos fornece quando cria uma conta, faz uma encomenda ou entra em contato com a nossa equipe de suporte. Esses dados podem incluir o seu nome, o seu endereço de e-mail, o seu endereço postal e as suas informações de pagamento. Utilizamos essas informações para prestar e melhorar os nossos serviços, processar as suas transações e comunicar com você sobre a sua conta. Não vendemos os seus dados pessoais a terceiros. Você pode solicitar a qualquer momento o acesso, a correção ou a eliminação dos dados que mantemos sobre você.',
  // Dutch
  nld: 'Wij verzamelen de persoonsgegevens die u aan ons verstrekt wanneer u een account aanmaakt, een bestelling plaatst of contact opneemt met onze klantenservice. Het gaat onder meer om uw naam, uw e-mailadres, uw postadres en uw betaalgegevens. Wij gebruiken deze gegevens om onze diensten te leveren en te verbeteren, uw bestellingen te verwerken en met u te communiceren over uw account. Wij verkopen uw persoonsgegevens niet aan derden. U kunt ons op elk moment vragen om de gegevens die wij over u bewaren in te zien, te corrigeren of te verwijderen.',
  // Italian
  ita: 'Raccogliamo i dati personali che ci fornisci quando crei un account, effettui un ordine o contatti il nostro servizio clienti. Questi dati possono includere il tuo nome, il tuo indirizzo email, il tuo indirizzo postale e i tuoi dati di pagamento. Utilizziamo queste informazioni per fornire e migliorare i nostri servizi, elaborare i tuoi ordini e comunicare con te in merito al tuo account. Non vendiamo i tuoi dati personali a terzi. Puoi chiederci in qualsiasi momento di accedere ai dati che conserviamo su di te, di rettificarli o di cancellarli.',
  // Polish
  pol: 'Zbieramy dane osobowe, które przekazujesz nam podczas zakładania konta, składania zamówienia lub kontaktu z naszym działem obsługi klienta. Mogą to być w szczególności Twoje imię i nazwisko, adres e-mail, adres pocztowy oraz dane dotyczące płatności. Wykorzystujemy te informacje, aby świadczyć i ulepszać nasze usługi, realizować Twoje zamówienia oraz kontaktować się z Tobą w sprawie Twojego konta. Nie sprzedajemy Twoich danych osobowych podmiotom trzecim. W każdej chwili możesz zażądać dostępu do swoich danych, ich sprostowania lub usunięcia.',
  // Russian
  rus: 'Мы собираем персональные данные, которые вы предоставляете нам при создании учётной записи, оформлении заказа или обращении в нашу службу поддержки. К ним относятся, в частности, ваше имя, адрес электронной почты, почтовый адрес и платёжные данные. Мы используем эту информацию для предоставления и улучшения наших услуг, обработки ваших заказов и связи с вами по вопросам, касающимся вашей учётной записи. Мы не продаём ваши персональные данные третьим лицам. Вы можете в любое время запросить доступ к своим данным, их исправление или удаление.',
  // Japanese
  jpn: '当社は、お客様がアカウントを作成する際、商品を注文する際、またはサポート窓口にお問い合わせいただく際に提供される個人情報を収集します。これには、氏名、メールアドレス、住所および支払いに関する情報が含まれます。当社はこれらの情報を、サービスの提供と改善、ご注文の処理、ならびにお客様のアカウントに関するご連絡のために利用します。当社は、お客様の個人情報を第三者に販売することはありません。お客様は、当社が保有するご自身の個人情報の開示、訂正または削除をいつでも請求することができます。',
  // Chinese
  cmn: '我们会收集您在创建账户、下订单或联系我们的客服团队时向我们提供的个人信息，包括您的姓名、电子邮件地址、邮寄地址和付款信息。我们使用这些信息来提供和改进我们的服务、处理您的订单，并就您的账户与您沟通。我们不会将您的个人信息出售给任何第三方。您可以随时要求访问、更正或删除我们所持有的关于您的个人信息。如果您对本隐私政策有任何疑问，请通过本页面底部的联系方式与我们联系。',
  // Arabic
  arb: 'نقوم بجمع البيانات الشخصية التي تقدمها لنا عند إنشاء حساب أو تقديم طلب أو التواصل مع فريق خدمة العملاء لدينا. وقد تشمل هذه البيانات اسمك وعنوان بريدك الإلكتروني وعنوانك البريدي ومعلومات الدفع الخاصة بك. نستخدم هذه المعلومات من أجل تقديم خدماتنا وتحسينها ومعالجة طلباتك والتواصل معك بشأن حسابك. نحن لا نبيع بياناتك الشخصية إلى أي طرف ثالث. يمكنك في أي وقت أن تطلب الوصول إلى البيانات التي نحتفظ بها عنك أو تصحيحها أو حذفها.',
  // Swedish
  swe: 'Vi samlar in de personuppgifter som du lämnar till oss när du skapar ett konto, gör en beställning eller kontaktar vår kundtjänst. Det kan till exempel vara ditt namn, din e-postadress, din postadress och dina betalningsuppgifter. Vi använder dessa uppgifter för att tillhandahålla och förbättra våra tjänster, hantera dina beställningar och kommunicera med dig om ditt konto. Vi säljer inte dina personuppgifter till tredje part. Du kan när som helst begära att få tillgång till de uppgifter vi har om dig, eller att de rättas eller raderas.',
  // Danish
  dan: 'Vi indsamler de personoplysninger, som du giver os, når du opretter en konto, afgiver en bestilling eller kontakter vores kundeservice. Det kan for eksempel være dit navn, din e-mailadresse, din postadresse og dine betalingsoplysninger. Vi bruger disse oplysninger til at levere og forbedre vores tjenester, behandle dine bestillinger og kommunikere med dig om din konto. Vi sælger ikke dine personoplysninger til tredjemand. Du kan til enhver tid anmode om indsigt i de oplysninger, vi har om dig, eller om at få dem rettet eller slettet.',
  // Norwegian
  nob: 'Vi samler inn personopplysningene du gir oss når du oppretter en konto, legger inn en bestilling eller kontakter kundeservice. Dette kan for eksempel være navnet ditt, e-postadressen din, postadressen din og betalingsopplysningene dine. Vi bruker disse opplysningene til å levere og forbedre tjenestene våre, behandle bestillingene dine og kommunisere med deg om kontoen din. Vi selger ikke personopplysningene dine til tredjeparter. Du kan når som helst be om innsyn i opplysningene vi har om deg, eller be om at de blir rettet eller slettet.',
  // Catalan
  cat: 'Recollim les dades personals que ens proporcioneu quan creeu un compte, feu una comanda o us poseu en contacte amb el nostre servei d\'atenció al client. Aquestes dades poden incloure el vostre nom, la vostra adreça de correu electrònic, la vostra adreça postal i les vostres dades de pagament. Utilitzem aquesta informació per prestar i millorar els nostres serveis, tramitar les vostres comandes i comunicar-nos amb vosaltres sobre el vostre compte. No venem les vostres dades personals a tercers. Podeu sol·licitar en qualsevol moment l\'accés, la rectificació o la supressió de les dades que conservem sobre vosaltres.',
  // Czech
  ces: 'Shromažďujeme osobní údaje, které nám poskytnete při vytvoření účtu, zadání objednávky nebo při kontaktu s naším zákaznickým servisem. Jedná se zejména o vaše jméno, e-mailovou adresu, poštovní adresu a platební údaje. Tyto údaje používáme k poskytování a zlepšování našich služeb, ke zpracování vašich objednávek a ke komunikaci s vámi ohledně vašeho účtu. Vaše osobní údaje neprodáváme třetím stranám. Kdykoli můžete požádat o přístup k údajům, které o vás uchováváme, o jejich opravu nebo výmaz.',
  // Croatian
  hrv: 'Prikupljamo osobne podatke koje nam dostavite kada otvorite korisnički račun, izvršite narudžbu ili se obratite našoj korisničkoj službi. To mogu biti vaše ime, adresa e-pošte, poštanska adresa i podaci o plaćanju. Te podatke koristimo kako bismo pružali i poboljšavali naše usluge, obrađivali vaše narudžbe i komunicirali s vama u vezi s vašim računom. Vaše osobne podatke ne prodajemo trećim stranama. U bilo kojem trenutku možete zatražiti pristup podacima koje o vama čuvamo, njihov ispravak ili brisanje.',
  // Ukrainian
  ukr: 'Ми збираємо персональні дані, які ви надаєте нам під час створення облікового запису, оформлення замовлення або звернення до нашої служби підтримки. До них належать, зокрема, ваше ім\'я, адреса електронної пошти, поштова адреса та платіжні дані. Ми використовуємо цю інформацію для надання та покращення наших послуг, обробки ваших замовлень і зв\'язку з вами щодо вашого облікового запису. Ми не продаємо ваші персональні дані третім особам. Ви можете будь-коли звернутися із запитом щодо доступу до своїх даних, їх виправлення або видалення.',
};

const LATVIAN = 'Mēs vācam personas datus, ko jūs mums sniedzat, kad izveidojat kontu, veicat pasūtījumu vai sazināties ar mūsu klientu apkalpošanas dienestu. Tie var ietvert jūsu vārdu, e-pasta adresi, pasta adresi un maksājumu informāciju. Mēs izmantojam šo informāciju, lai sniegtu un uzlabotu mūsu pakalpojumus. Mēs nepārdodam jūsu personas datus trešajām personām.';
const PROCESSORS = 'Server logs | 30 days | Support tickets | 2 years | Invoices | 7 years | Stripe, Inc. | Zendesk, Inc. | Amazon Web Services, Inc. | Google LLC | HubSpot | Salesforce | Mailchimp | Intercom | Segment | Mixpanel | Amplitude | Hotjar | Cloudflare';

describe('identifyLanguage', () => {
  it.each(['eng', 'deu', 'fra', 'spa', 'por', 'nld', 'ita', 'pol', 'rus', 'jpn', 'cmn', 'arb'])('names a policy paragraph in %s', (code) => {
    expect(identifyLanguage(POLICY[code]!)).toBe(code);
  });

  it('tells close languages apart: Swedish, Danish and Norwegian; Catalan and Spanish; Czech, Croatian; Ukrainian and Russian', () => {
    for (const code of ['swe', 'dan', 'nob', 'cat', 'ces', 'hrv', 'ukr']) expect(identifyLanguage(POLICY[code]!), code).toBe(code);
  });

  it('keeps the language of a text that names foreign brands and products', () => {
    expect(identifyLanguage(`Мы используем Google Analytics, Amazon Web Services и Stripe. ${POLICY.rus}`)).toBe('rus');
    expect(identifyLanguage(`Nous utilisons Google Analytics, Amazon Web Services, Stripe Checkout et Zendesk Support. ${POLICY.fra}`)).toBe('fra');
  });

  it('says und for short text, a list of names and periods, half-and-half text and a language it does not know', () => {
    expect(identifyLanguage('We collect data. We keep it. You may ask us to delete it at any time.')).toBe('und');
    expect(identifyLanguage(PROCESSORS)).toBe('und');
    expect(identifyLanguage(`${POLICY.eng!.slice(0, 250)} ${POLICY.deu!.slice(0, 250)}`)).toBe('und');
    expect(identifyLanguage(LATVIAN)).toBe('und');
    expect(identifyLanguage('12345 67890 — 2024-01-01 / 2025-12-31 · 100 % · ©')).toBe('und');
  });
});

describe('detectLanguage on the seeds', () => {
  const seeds = readdirSync(new URL('../../seeds/', import.meta.url)).filter((name) => name.endsWith('.txt'));

  it.each(seeds)('reads %s as English', (name) => {
    expect(detectLanguage(readFileSync(new URL(`../../seeds/${name}`, import.meta.url), 'utf8'))).toBe('eng');
  });
});
