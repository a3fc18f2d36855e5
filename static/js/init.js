// Progressive enhancement for GOV.UK Frontend components. Pages work without
// it. Loaded as an ES module (browsers too old for modules skip it, as GOV.UK
// Frontend expects), from a file because the Content-Security-Policy forbids
// inline scripts.
import { initAll } from '/static/govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();
