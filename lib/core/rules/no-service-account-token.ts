import { Control } from '../controls';
import { Rule } from './rule';

export const noServiceAccountToken: Rule = {
  control: Control.NO_SERVICE_ACCOUNT_TOKEN,
  appliesTo: (workload) => workload.serviceAccountToken !== undefined,
  check: (workload) => workload.serviceAccountToken?.value !== true ? [] : [{
    setting: workload.serviceAccountToken.at,
    problem: 'a Kubernetes API token is mounted into the pod',
    fix: 'set automountServiceAccountToken: false (and project a token only where the app calls the API)',
  }],
};
