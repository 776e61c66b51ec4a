// The platform team's rules, shared by every Acme service on both targets.
import { Control, SecurityPolicyProps } from '../../lib';

export const ACME_POLICY: SecurityPolicyProps = {
  requireTicket: true,
  ticketPattern: '^SEC-\\d+$',
  requireExpiry: true,
  maxExemptionDays: 90,
  nonWaivable: [Control.NOT_PRIVILEGED, Control.NO_HOST_NAMESPACES],
  allowedRegistries: ['ghcr.io/acme', 'public.ecr.aws/nginx', 'public.ecr.aws/aws-observability'],
};
