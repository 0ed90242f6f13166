import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConnectButton } from './ConnectButton';

// StrictMode on, as new React projects have it: in development it mounts, unmounts and mounts
// again, and useConnect keeps working through that.
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConnectButton userId="user-42" />
  </StrictMode>,
);
