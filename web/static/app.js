// Progressive enhancement: GOV.UK Frontend's components (conditional reveals, error summary focus).
import { initAll } from '/assets/govuk-frontend.min.js';

initAll();
