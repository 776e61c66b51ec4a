// A platform team's golden path: application teams use AcmeService; the company policy comes with it.
import { Construct } from 'constructs';
import { ACME_POLICY } from './acme-policy';
import { SecurityPolicy, ecs } from '../../lib';

/** An ECS service under the Acme security policy. */
export class AcmeService extends Construct {
  public readonly service: ecs.SecureService;

  public constructor(scope: Construct, id: string, props: ecs.SecureServiceProps) {
    super(scope, id);
    // The policy must be in place before the service is created: it chooses the default user.
    SecurityPolicy.of(this).apply(ACME_POLICY);
    this.service = new ecs.SecureService(this, 'Service', props);
  }
}
