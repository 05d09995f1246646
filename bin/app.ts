import { App } from 'aws-cdk-lib';
import { loadStageConfig } from '../lib/config.js';
import { StageConfigError } from '../lambdas/domain/errors.js';
import { addNagChecks, addServiceStage } from '../lib/service.js';

/** The CDK app: the stage named by `-c stage=…` (default dev), configured from cdk.json's context. */
const app = new App();
try {
  addServiceStage(app, loadStageConfig((key) => app.node.tryGetContext(key)));
} catch (error) {
  if (!(error instanceof StageConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
addNagChecks(app);
app.synth();
