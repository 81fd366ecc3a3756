import type { DiagnosticDefinition } from '../diagnostic.js';

// CM7200–CM7249: signed SAML Responses, WS-Federation results and federation metadata. Owner: @claimc/saml and the CLI.
export const samlCodes = [
  {
    code: 'CM7200',
    severity: 'error',
    message: 'SAML Destination "{destination}" is not a reply URL of application {appId}; Entra refuses the sign-in with AADSTS50011',
    hint: 'Use one of its reply URLs ({replyUrls}) or add this URL to the service principal\'s replyUrls.',
    why: 'Entra posts a SAML Response only to a reply URL registered on the application, so no service provider receives one for another address.',
  },
  {
    code: 'CM7201',
    severity: 'error',
    message: 'Application {appId} has no reply URL to post the SAML Response to',
    hint: 'Pass --destination <assertion consumer service URL>, or add replyUrls to its service principal in the snapshot.',
    why: 'A Response names its Destination and the Recipient of its assertion; service providers reject a Response addressed elsewhere.',
  },
] as const satisfies readonly DiagnosticDefinition[];
