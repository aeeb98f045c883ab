import timers from './timers.js';
export default timers.promises;
