import Smartcar from './compat';

// The drop-in's script-tag build (dist/compat.min.js): the global Smartcar is the class, as the
// official sdk.js defines it.
export default Smartcar;
