import { unavailable } from './unavailable.js';
export default unavailable('child_process', ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']);
