import { Control } from '../controls';
import { Rule } from './rule';

export const noServiceAccountToken: Rule = {
  control: Control.NO_SERVICE_ACCOUNT_TOKEN,
  appliesTo: (workload) => workload.serviceAccountToken !== undefined,
  check: (workload) => workload.serviceAccountToken?.value !== true ? [] : [{
    setting: workload.serviceAccountToken.at,
    problem: 'a Kubernetes API token is mounted into the pod',
    fix: 'set automountServiceAccountToken: false and mount no projected serviceAccountToken; if the app must call the API, '
      + 'add an exemption saying why and project a token with a short expirationSeconds and an audience',
  }],
};
