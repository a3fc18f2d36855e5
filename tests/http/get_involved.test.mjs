// The public "get involved" journey as a person meets it over HTTP: one
// question a page, every error message in the summary and beside its field,
// the draft cookie, Change links, skipping the equality questions, and
// sending exactly once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client, run, startServer } from '../support/server.mjs';

// Posts a form with repeated fields (checkboxes): `pairs` is [[name, value], ...].
// Fetches `formPage` first when there is no CSRF cookie yet.
async function post(c, url, pairs = []) {
  if (!c.cookies.has('coproduce_csrf')) await c.get('/get-involved');
  const body = new URLSearchParams([['csrf_token', c.cookies.get('coproduce_csrf')], ...pairs]).toString();
  return c.request('POST', url, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
}

// Answers one page and returns where it sends the person next.
async function answer(c, page, pairs) {
  const res = await post(c, `/get-involved/${page}`, pairs);
  assert.equal(res.status, 303, `${page} accepts ${JSON.stringify(pairs)}:\n${res.text_.slice(0, 3000)}`);
  return res.headers.get('location');
}

async function begin(c) {
  await c.get('/get-involved');
  const res = await post(c, '/get-involved');
  assert.equal(res.status, 303);
  return res;
}

// The text of the page, without tags, for asserting what a person reads.
const words = (html) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');

// Everything up to consent for one person. Returns the locations visited.
async function answerAll(c, { equality = true, name = 'Grace Hopper' } = {}) {
  const path = [];
  const go = async (page, pairs) => { path.push(page); return answer(c, page, pairs); };
  assert.equal(await go('name', [['name', name]]), '/get-involved/contact');
  assert.equal(await go('contact', [['email', 'grace@example.org'], ['phone', '01632 960 001']]),
    '/get-involved/contact-preference');
  assert.equal(await go('contact-preference', [['contact_by', 'phone']]), '/get-involved/formats');
  assert.equal(await go('formats', [['formats', 'easy_read'], ['formats', 'other_language'], ['other_language', 'Polish']]),
    '/get-involved/access-needs');
  assert.equal(await go('access-needs', [['access_needs', 'hearing_loop'], ['access_other', 'A table near the door']]),
    '/get-involved/experience');
  assert.equal(await go('experience', [['lived_experience', 'unpaid_carer']]), '/get-involved/care-kinds');
  assert.equal(await go('care-kinds', [['care_kinds', 'home_care'], ['care_kinds', 'day_services']]), '/get-involved/area');
  assert.equal(await go('area', [['area', 'Northfield']]), '/get-involved/availability');
  assert.equal(await go('availability', [['availability', 'weekday_evening']]), '/get-involved/ways');
  assert.equal(await go('ways', [['ways', 'online'], ['ways', 'phone']]), '/get-involved/payment');
  assert.equal(await go('payment', [['payment', 'paid']]), '/get-involved/benefits-advice');
  assert.equal(await go('benefits-advice', [['benefits_advice', 'yes']]), '/get-involved/equality');
  if (!equality) {
    assert.equal(await go('equality', [['equality_choice', 'skip']]), '/get-involved/consent');
  } else {
    assert.equal(await go('equality', [['equality_choice', 'answer']]), '/get-involved/age');
    assert.equal(await go('age', [['age_band', '65_74']]), '/get-involved/sex');
    assert.equal(await go('sex', [['sex', 'female']]), '/get-involved/gender-identity');
    assert.equal(await go('gender-identity', [['gender_identity', 'same']]), '/get-involved/ethnic-group');
    assert.equal(await go('ethnic-group', [['ethnic_group', 'black']]), '/get-involved/ethnic-background');
    assert.equal(await go('ethnic-background', [['ethnic_group', 'black_caribbean']]), '/get-involved/disability');
    assert.equal(await go('disability', [['disability', 'prefer_not_to_say']]), '/get-involved/sexual-orientation');
    assert.equal(await go('sexual-orientation', [['sexual_orientation', 'straight']]), '/get-involved/religion');
    assert.equal(await go('religion', [['religion', 'christian']]), '/get-involved/carer');
    assert.equal(await go('carer', [['carer', 'up_to_19']]), '/get-involved/consent');
  }
  assert.equal(await go('consent', [['consent', 'yes']]), '/get-involved/check');
  return path;
}

// What the administrator of Test Council holds about everyone called `name`,
// as the staff pages' download gives it: [{ name, email, consents, equality_monitoring, ... }].
async function heldAbout(server, name) {
  const admin = new Client(server.base);
  await admin.signIn();
  const list = await admin.get(`/people?q=${encodeURIComponent(name)}`);
  assert.equal(list.status, 200);
  const ids = [...new Set([...list.text_.matchAll(/href="\/people\/(\d+)"/g)].map((m) => m[1]))];
  const held = [];
  for (const id of ids) {
    const res = await admin.get(`/people/${id}/export.json`);
    assert.equal(res.status, 200);
    const person = JSON.parse(res.text_);
    if (person.name === name) held.push(person);
  }
  return held;
}

describe('get involved, one organisation', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  test('the start page says what happens and what we will ask, and starts with the name', async () => {
    const c = new Client(server.base);
    const start = await c.get('/get-involved');
    assert.equal(start.status, 200);
    const text = words(start.text_);
    assert.match(text, /Get involved/);
    assert.match(text, /Test Council/);
    assert.match(text, /What we will ask/);
    assert.match(text, /you can skip these/);
    const res = await begin(c);
    assert.equal(res.headers.get('location'), '/get-involved/name', 'one organisation is chosen for the person');
    const cookie = res.headers.getSetCookie().find((x) => x.startsWith('coproduce_get_involved='));
    assert.ok(cookie, 'a draft cookie is set');
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Max-Age=86400/);
    assert.ok(!/Secure/.test(cookie), 'not Secure over plain HTTP');
    assert.match(cookie, /^coproduce_get_involved=[A-Za-z0-9_-]{43};/);
    const org = await c.get('/get-involved/organisation');
    assert.equal(org.status, 303, 'the organisation question is not asked');
    assert.equal(org.headers.get('location'), '/get-involved/name');
  });

  test('the whole journey, from start to confirmation, adds exactly one person with what they said', async () => {
    const c = new Client(server.base);
    await begin(c);
    const name = await c.get('/get-involved/name');
    assert.equal(name.status, 200);
    assert.match(name.text_, /<a href="\/get-involved" class="govuk-back-link">Back<\/a>/);
    await answerAll(c);
    const consentPage = await c.get('/get-involved/consent');
    const consentVersion = words(consentPage.text_).match(/Wording version (\S+)/)[1];

    const check = await c.get('/get-involved/check');
    assert.equal(check.status, 200);
    const text = words(check.text_);
    for (const shown of ['Grace Hopper', 'grace@example.org', '01632 960 001', 'Contact me by Phone',
      'Easy Read', 'Another language: Polish', 'A hearing loop', 'A table near the door', 'I am an unpaid carer',
      'Care at home', 'Day services', 'Northfield', 'Weekday evenings', 'Online', 'By phone',
      'Yes, pay me for my time', 'Benefits advice first Yes', 'Age 65 to 74', 'Sex Female',
      'Black, Black British, Black Welsh, Caribbean or African: Caribbean', 'Religion or belief Christian',
      'Caring for someone Yes, up to 19 hours a week', 'Health condition or illness Prefer not to say']) {
      assert.ok(text.includes(shown), `check answers shows "${shown}"`);
    }
    assert.match(text, /I agree that this organisation may keep what I have told them/);
    assert.match(check.text_, /href="\/get-involved\/name\?change=1"/);

    const sent = await post(c, '/get-involved/check');
    assert.equal(sent.status, 200);
    assert.match(sent.text_, /govuk-panel--confirmation/);
    assert.match(words(sent.text_), /Your details have been sent/);
    assert.match(words(sent.text_), /What happens next/);
    assert.match(words(sent.text_), /Test Council who organises co-production will contact you by phone/);
    const cleared = sent.headers.getSetCookie().find((x) => x.startsWith('coproduce_get_involved='));
    assert.match(cleared, /Max-Age=0/, 'the draft cookie is cleared');

    const held = await heldAbout(server, 'Grace Hopper');
    assert.equal(held.length, 1, 'exactly one person is added');
    const [p] = held;
    assert.equal(p.email, 'grace@example.org');
    assert.equal(p.phone, '01632 960 001');
    assert.equal(p.contact_by, 'phone');
    assert.deepEqual(p.formats, ['easy_read', 'other_language']);
    assert.equal(p.other_language, 'Polish');
    assert.deepEqual(p.access_needs, ['hearing_loop']);
    assert.equal(p.access_other, 'A table near the door');
    assert.deepEqual(p.lived_experience, ['unpaid_carer']);
    assert.deepEqual(p.care_kinds, ['home_care', 'day_services']);
    assert.equal(p.area, 'Northfield');
    assert.deepEqual(p.availability, ['weekday_evening']);
    assert.deepEqual(p.ways, ['online', 'phone']);
    assert.equal(p.payment, 'paid');
    assert.equal(p.benefits_advice, true);
    assert.equal(p.source, 'self');
    assert.equal(p.consents.length, 1);
    assert.equal(p.consents[0].version, consentVersion, 'consent to the wording shown');
    assert.match(p.consents[0].wording, /^I agree that this organisation may keep/);
    assert.match(p.consents[0].given_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'with the date it was given');
    assert.equal(p.consents[0].withdrawn_at, null);
    assert.deepEqual(p.equality_monitoring, {
      age_band: '65_74', sex: 'female', gender_identity: 'same', ethnic_group: 'black_caribbean',
      disability: 'prefer_not_to_say', sexual_orientation: 'straight', religion: 'christian', carer: 'up_to_19',
    });

    const again = await c.get('/get-involved/check');
    assert.equal(again.status, 303, 'the answers are gone once sent');
    assert.equal(again.headers.get('location'), '/get-involved');
  });

  test('sending twice adds the person once and says they are already sent', async () => {
    const c = new Client(server.base);
    await begin(c);
    await answerAll(c, { name: 'Ada Twice' });
    const token = c.cookies.get('coproduce_get_involved');
    const [first, second] = await Promise.all([post(c, '/get-involved/check'), post(c, '/get-involved/check')]);
    const titles = [first, second].map((r) => words(r.text_).match(/Your details have (already )?been sent/)?.[0]);
    assert.deepEqual([first.status, second.status], [200, 200]);
    assert.deepEqual(titles.sort(), ['Your details have already been sent', 'Your details have been sent']);
    c.cookies.set('coproduce_get_involved', token);
    const third = await post(c, '/get-involved/check');
    assert.equal(third.status, 200);
    assert.match(words(third.text_), /Your details have already been sent/);
    assert.match(words(third.text_), /Test Council/);
    assert.equal((await heldAbout(server, 'Ada Twice')).length, 1, 'one person, not two or three');
  });

  test('skipping the equality questions goes straight to consent, shows they were skipped and stores none', async () => {
    const c = new Client(server.base);
    await begin(c);
    const path = await answerAll(c, { equality: false, name: 'Sid Skip' });
    assert.ok(!path.includes('age'), 'no equality question was asked');
    const age = await c.get('/get-involved/age');
    assert.equal(age.status, 303, 'an equality question after skipping moves on');
    const check = await c.get('/get-involved/check');
    const text = words(check.text_);
    assert.match(text, /Equality questions You chose not to answer them/);
    assert.ok(!text.includes('Age '), 'no equality answers are listed');
    const sent = await post(c, '/get-involved/check');
    assert.equal(sent.status, 200);
    const held = await heldAbout(server, 'Sid Skip');
    assert.equal(held.length, 1);
    assert.deepEqual(held[0].equality_monitoring, {}, 'no equality answers are stored');
    assert.equal(held[0].consents.length, 1);
  });

  test('each equality page offers to skip the rest, keeping what was answered', async () => {
    const c = new Client(server.base);
    await begin(c);
    await answerAll(c, { equality: false });
    await answer(c, 'equality', [['equality_choice', 'answer']]);
    await answer(c, 'age', [['age_band', '25_34']]);
    const sex = await c.get('/get-involved/sex');
    assert.match(sex.text_, /<a class="govuk-link" href="\/get-involved\/consent">Skip the rest of the equality questions<\/a>/);
    const check = await c.get('/get-involved/check');
    const text = words(check.text_);
    assert.match(text, /Age 25 to 34/);
    assert.match(text, /Sex Not answered/);
  });

  test('Change links come back to check your answers, through any question the change makes necessary', async () => {
    const c = new Client(server.base);
    await begin(c);
    await answerAll(c, { equality: false });

    const page = await c.get('/get-involved/name?change=1');
    assert.match(page.text_, /<a href="\/get-involved\/check" class="govuk-back-link">Back<\/a>/);
    assert.match(page.text_, /action="\/get-involved\/name\?change=1"/);
    assert.match(page.text_, /value="Grace Hopper"/, 'the answer so far is filled in');
    assert.equal(await answer(c, 'name?change=1', [['name', 'Grace B. Hopper']]), '/get-involved/check');
    assert.match(words((await c.get('/get-involved/check')).text_), /Grace B\. Hopper/);

    // Only an email: no preference to ask. Then a postal address as well: asked again.
    assert.equal(await answer(c, 'contact?change=1', [['email', 'g@example.org']]), '/get-involved/check');
    assert.match(words((await c.get('/get-involved/check')).text_), /g@example\.org/);
    assert.ok(!words((await c.get('/get-involved/check')).text_).includes('Contact me by'));
    assert.equal(await answer(c, 'contact?change=1', [['email', 'g@example.org'], ['address', '1 Mill Lane\nNorthfield'],
      ['postcode', 'nf1 2ab']]), '/get-involved/contact-preference?change=1');
    const pref = await c.get('/get-involved/check');
    assert.equal(pref.headers.get('location'), '/get-involved/contact-preference', 'cannot check until answered');
    assert.equal(await answer(c, 'contact-preference?change=1', [['contact_by', 'post']]), '/get-involved/check');
    assert.match(words((await c.get('/get-involved/check')).text_), /Contact me by Post/);

    // Declining payment drops the benefits question; choosing it again asks it.
    assert.equal(await answer(c, 'payment?change=1', [['payment', 'declined']]), '/get-involved/check');
    assert.ok(!words((await c.get('/get-involved/check')).text_).includes('Benefits advice first'));
    assert.equal(await answer(c, 'payment?change=1', [['payment', 'paid']]), '/get-involved/benefits-advice?change=1');
    assert.equal(await answer(c, 'benefits-advice?change=1', [['benefits_advice', 'no']]), '/get-involved/check');
    assert.match(words((await c.get('/get-involved/check')).text_), /Benefits advice first No/);

    // Choosing to answer the equality questions after skipping them asks each one.
    assert.equal(await answer(c, 'equality?change=1', [['equality_choice', 'answer']]), '/get-involved/age?change=1');
    assert.equal(await answer(c, 'age?change=1', [['age_band', '85_over']]), '/get-involved/sex?change=1');
    const sex = await c.get('/get-involved/sex?change=1');
    assert.match(sex.text_, /href="\/get-involved\/check">Skip the rest of the equality questions/);
    const check = await c.get('/get-involved/check');
    assert.match(words(check.text_), /Age 85 or over/);
    assert.match(words(check.text_), /Sex Not answered/);
  });

  test('without a draft, every question page sends the person to the start', async () => {
    const c = new Client(server.base);
    for (const url of ['/get-involved/name', '/get-involved/check', '/get-involved/carer', '/get-involved/consent']) {
      const res = await c.get(url);
      assert.equal(res.status, 303, url);
      assert.equal(res.headers.get('location'), '/get-involved', url);
    }
    const posted = await post(c, '/get-involved/name', [['name', 'Nobody']]);
    assert.equal(posted.status, 303);
    assert.equal(posted.headers.get('location'), '/get-involved');
    const sent = await post(c, '/get-involved/check');
    assert.equal(sent.status, 303);
    assert.equal(sent.headers.get('location'), '/get-involved');
  });

  test('an unknown or expired draft cookie goes to the start, which says the answers were not found', async () => {
    const c = new Client(server.base);
    c.cookies.set('coproduce_get_involved', 'A'.repeat(43));
    const res = await c.get('/get-involved/formats');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/get-involved?expired=1');
    assert.ok(!c.cookies.has('coproduce_get_involved'), 'the stale cookie is cleared');
    const start = await c.get(res.headers.get('location'));
    assert.match(words(start.text_), /We could not find your answers/);
    c.cookies.set('coproduce_get_involved', 'nonsense');
    const posted = await post(c, '/get-involved/formats', [['formats', 'audio']]);
    assert.equal(posted.headers.get('location'), '/get-involved?expired=1');
  });

  test('coming back to the start with answers not yet sent offers to carry on, and starting again forgets them', async () => {
    const c = new Client(server.base);
    const fresh = await c.get('/get-involved');
    assert.ok(!words(fresh.text_).includes('Carry on where you left off'));
    await begin(c);
    assert.ok(!words((await c.get('/get-involved')).text_).includes('Carry on'), 'nothing answered yet: nothing to carry on');
    await answer(c, 'name', [['name', 'Cara Later']]);
    const back = await c.get('/get-involved');
    assert.match(back.text_, /<a class="govuk-link" href="\/get-involved\/contact">Carry on where you left off<\/a>/);
    await begin(c);
    const name = await c.get('/get-involved/name');
    assert.ok(!name.text_.includes('Cara Later'), 'starting again begins with empty answers');
    assert.ok(!words((await c.get('/get-involved')).text_).includes('Carry on'));
  });

  test('an unknown question is not found', async () => {
    const c = new Client(server.base);
    await begin(c);
    assert.equal((await c.get('/get-involved/shoe-size')).status, 404);
  });

  test('the check page cannot be reached before the questions are answered', async () => {
    const c = new Client(server.base);
    await begin(c);
    await answer(c, 'name', [['name', 'Half Way']]);
    const check = await c.get('/get-involved/check');
    assert.equal(check.status, 303);
    assert.equal(check.headers.get('location'), '/get-involved/contact');
    const sent = await post(c, '/get-involved/check');
    assert.equal(sent.status, 303, 'nor can half the answers be sent');
    assert.equal(sent.headers.get('location'), '/get-involved/contact');
  });

  test('what a person types is shown back as text, never as markup', async () => {
    const c = new Client(server.base);
    await begin(c);
    await answerAll(c, { equality: false, name: '<script>alert(1)</script> Jo' });
    const check = await c.get('/get-involved/check');
    assert.ok(!check.text_.includes('<script>alert(1)'));
    assert.match(check.text_, /&lt;script&gt;alert\(1\)&lt;\/script&gt; Jo/);
  });
});

// Every error message of every page: in the error summary, linked to its
// field, and beside the field, with what was typed kept.
describe('get involved, every error message', () => {
  let server;
  before(async () => {
    server = await startServer();
    await run(['admin', 'create-organisation', '--database', server.db, '--name', 'Riverside Carers Forum']);
  });
  after(async () => { await server?.stop(); });

  // [page, form, [[field, message], ...], optional text that must be kept]
  const cases = [
    ['organisation', [], [['organisation', 'Select the organisation you want to be involved with']]],
    ['name', [['name', '   ']], [['name', 'Enter your name']]],
    ['name', [['name', 'x'.repeat(201)]], [['name', 'Name must be 200 characters or fewer']], 'x'.repeat(201)],
    ['contact', [], [['contact', 'Enter an email address, a phone number or a postal address']]],
    ['contact', [['postcode', 'NF1 2AB']],
      [['contact', 'Enter your address as well as your postcode, or an email address or phone number']], 'NF1 2AB'],
    ['contact', [['email', 'not an email'], ['phone', 'call me'], ['address', '1 Mill Lane'], ['postcode', 'XYZ']],
      [['email', 'Enter an email address in the correct format, like name@example.org'],
        ['phone', 'Enter a phone number, like 01632 960 001 or +44 7700 900 982'],
        ['postcode', 'Enter a full UK postcode, like AA1 1AA']], 'not an email'],
    ['contact-preference', [], [['contact_by', 'Select how you would like us to contact you']]],
    ['formats', [], [['formats', 'Select how you would like us to send you information']]],
    ['formats', [['formats', 'other_language']], [['other_language', 'Enter the language you would like']]],
    ['access-needs', [], [['access_needs', 'Select the support you need, or select ‘I do not need any of these’']]],
    ['access-needs', [['access_needs', 'breaks'], ['access_needs', 'none']],
      [['access_needs', 'Select the support you need, or ‘I do not need any of these’, not both']]],
    ['access-needs', [['access_needs', 'breaks'], ['access_other', 'y'.repeat(2001)]],
      [['access_other', 'Other support needs must be 2000 characters or fewer']]],
    ['experience', [], [['lived_experience', 'Select your experience of care and support']]],
    ['experience', [['lived_experience', 'other']], [['experience_other', 'Enter your experience of care and support']]],
    ['care-kinds', [['care_kinds', 'martian']], [['care_kinds', 'Select one of the answers shown']]],
    ['area', [], [['area', 'Enter the area you live in']]],
    ['availability', [], [['availability', 'Select when you can most often take part']]],
    ['ways', [], [['ways', 'Select how you would like to take part']]],
    ['payment', [], [['payment', 'Select if you want to be paid for your time']]],
    ['benefits-advice', [], [['benefits_advice', 'Select yes if you want help with your benefits first']]],
    ['equality', [], [['equality_choice', 'Select if you want to answer the equality questions']]],
    ['age', [], [['age_band', 'Select your age, or ‘Prefer not to say’']]],
    ['sex', [], [['sex', 'Select your sex, or ‘Prefer not to say’']]],
    ['gender-identity', [], [['gender_identity', 'Select yes, no, or ‘Prefer not to say’']]],
    ['ethnic-group', [], [['ethnic_group', 'Select your ethnic group, or ‘Prefer not to say’']]],
    ['ethnic-background', [], [['ethnic_group', 'Select the background that describes you best, or ‘Prefer not to say’']]],
    ['disability', [], [['disability', 'Select yes, no, or ‘Prefer not to say’']]],
    ['sexual-orientation', [], [['sexual_orientation', 'Select your sexual orientation, or ‘Prefer not to say’']]],
    ['religion', [], [['religion', 'Select your religion or belief, or ‘Prefer not to say’']]],
    ['carer', [], [['carer', 'Select how much care you give, or ‘Prefer not to say’']]],
    ['consent', [], [['consent', 'Select ‘I agree’ so that we can keep your details']]],
  ];

  // A draft in which every page applies: two ways to contact, paid, answering
  // equality questions, a broad ethnic group chosen.
  async function readyClient() {
    const c = new Client(server.base);
    await begin(c);
    await answer(c, 'contact', [['email', 'e@example.org'], ['phone', '01632 960 001']]);
    await answer(c, 'payment', [['payment', 'paid']]);
    await answer(c, 'equality', [['equality_choice', 'answer']]);
    await answer(c, 'ethnic-group', [['ethnic_group', 'asian']]);
    return c;
  }

  for (const [page, form, expected, kept] of cases) {
    test(`${page}: ${expected.map(([, m]) => m).join('; ')}`, async () => {
      const c = await readyClient();
      const res = await post(c, `/get-involved/${page}`, form);
      assert.equal(res.status, 400, `${page} refuses the answer`);
      const html = res.text_;
      assert.match(html, /<title>Error: /, 'the title starts "Error:"');
      const summary = html.match(/<div class="govuk-error-summary"[\s\S]*?<\/ul>/);
      assert.ok(summary, 'an error summary is shown');
      const links = [...summary[0].matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
      assert.deepEqual(links, expected, 'every error, in page order, linked to its field');
      for (const [field, message] of expected) {
        assert.match(html, new RegExp(`id="${field}"`), `the summary link #${field} has a target`);
        const beside = html.match(new RegExp(`<p id="${field}-error" class="govuk-error-message">([\\s\\S]*?)</p>`));
        assert.ok(beside, `the error is shown beside ${field}`);
        assert.ok(beside[1].includes(message), `beside ${field}: ${message}`);
      }
      if (kept) assert.ok(html.includes(kept), 'what was typed is kept');
      for (const [name, value] of form) {
        if (/^(formats|access_needs|lived_experience)$/.test(name)) {
          assert.match(html, new RegExp(`name="${name}" type="checkbox" value="${value}" checked`), `${value} stays ticked`);
        }
      }
    });
  }

  test('with several organisations the first question asks which one, and the answers name it', async () => {
    const c = new Client(server.base);
    const res = await begin(c);
    assert.equal(res.headers.get('location'), '/get-involved/organisation');
    const page = await c.get('/get-involved/organisation');
    assert.match(words(page.text_), /Which organisation do you want to be involved with\?/);
    assert.match(page.text_, /Riverside Carers Forum/);
    assert.match(page.text_, /Test Council/);
    const id = page.text_.match(/value="(\d+)"[^>]*>\s*<label[^>]*>Riverside Carers Forum/)[1];
    assert.equal(await answer(c, 'organisation', [['organisation', id]]), '/get-involved/name');
    const name = await c.get('/get-involved/name');
    assert.match(name.text_, /href="\/get-involved\/organisation" class="govuk-back-link"/);
    await answerAll(c, { equality: false });
    const check = await c.get('/get-involved/check');
    assert.match(words(check.text_), /Organisation Riverside Carers Forum/);
    const sent = await post(c, '/get-involved/check');
    assert.match(words(sent.text_), /Riverside Carers Forum who organises co-production/);
    assert.equal((await heldAbout(server, 'Grace Hopper')).length, 0,
      'the person is in the pool of the organisation they chose, not another');
  });
});

describe('get involved, revealed answers', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  test('a language typed in is dropped when "another language" is no longer chosen', async () => {
    const c = new Client(server.base);
    await begin(c);
    await answerAll(c, { equality: false, name: 'Lang Changer' });
    assert.match(words((await c.get('/get-involved/check')).text_), /Polish/);
    await answer(c, 'formats', [['formats', 'standard'], ['other_language', 'Polish']]);
    assert.equal((await post(c, '/get-involved/check')).status, 200);
    const [held] = await heldAbout(server, 'Lang Changer');
    assert.deepEqual(held.formats, ['standard']);
    assert.equal(held.other_language, '', 'the language is not kept once its choice is gone');
  });
});
