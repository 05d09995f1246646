import { type IConstruct } from 'constructs';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describeWithHandlers, synthesize } from './support.js';

/** Every acknowledgment recorded in the tree: rule id → reason, with the construct it sits on. */
function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))),
  );
}

describeWithHandlers('cdk-nag (AwsSolutions and Serverless packs, as on every synth)', () => {
  const synth = synthesize({ bundle: false, nag: true });
  afterAll(() => synth.dispose());

  it.each([
    ['AwsSolutions', new AwsSolutionsChecks()],
    ['Serverless', new ServerlessChecks()],
  ] as const)('%s: zero unacknowledged errors or warnings', (_pack, pack) => {
    // Act
    const report = pack.validateScope(synth.app);

    // Assess
    const findings = report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.description} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });

  it('the app synthesizes with the packs registered (synthesis is where the CLI enforces them)', () => {
    expect(() => synth.app.synth({ force: true })).not.toThrow();
  });

  it('every acknowledgment names one rule and gives a specific reason', () => {
    const acks = acknowledgments(synth.app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id).toMatch(/^(Annotation::)?(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[.+\])?$/);
      expect(ack.reason.length).toBeGreaterThanOrEqual(60);
    }
  });

  it('acknowledges "*" resources only for X-Ray and the grant-secret prefix', () => {
    const wildcards = acknowledgments(synth.app).filter((a) => a.id.includes('IAM5'));
    expect(new Set(wildcards.map((a) => a.id.replace(/^Annotation::/, '')))).toEqual(
      new Set(['AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:aob-amazon-connect/dev/grants/*]']),
    );
  });
});
