// Placeholder main job until the golden-path issue lands: prints the control catalog the examples will be checked against.
import { renderControlsTable } from '../lib';

console.log('secure-service: the examples arrive with the golden-path issue; these are the controls they will be checked against:\n');
console.log(renderControlsTable());
