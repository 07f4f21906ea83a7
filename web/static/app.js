// Progressive enhancement: GOV.UK Frontend's components (conditional reveals, error summary focus)
// and MoJ Frontend's (sortable tables).
import { initAll } from '/assets/govuk-frontend.min.js';
import { initAll as initMojFrontend } from '/assets/moj-frontend.min.js';

initAll();
initMojFrontend();
