// What the script tag defines: the package's API under the global SmartcarConnect.
declare const SmartcarConnect: typeof import('smartcar-connect-browser');
