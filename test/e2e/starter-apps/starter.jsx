// An app written as Smartcar's starter app (React, a Node server) writes its client: a function
// component that makes a new Smartcar on every render, a make picked before connecting, and the
// code sent to the app's server. Configured at build time, as react-scripts does.
import React, { useState } from 'react';
import ReactDOM from 'react-dom';
import Smartcar from '@smartcar/auth';

function App() {
  const [make, setMake] = useState('TESLA');
  const [vehicles, setVehicles] = useState([]);
  const [error, setError] = useState('');

  async function onComplete(err, code) {
    if (err) {
      setError(err.message);
      return;
    }
    const response = await fetch(`/api/exchange?code=${code}`);
    setVehicles((await response.json()).vehicles);
  }

  const smartcar = new Smartcar({
    clientId: process.env.REACT_APP_CLIENT_ID,
    redirectUri: process.env.REACT_APP_REDIRECT_URI,
    scope: ['read_vehicle_info', 'read_battery', 'read_charge'],
    mode: 'test',
    onComplete,
  });

  const authorize = () => smartcar.openDialog({ forcePrompt: true, vehicleInfo: { make }, singleSelect: false });

  return (
    <main>
      <h1>Energy dashboard</h1>
      <label>
        Make{' '}
        <select id="make" value={make} onChange={(e) => setMake(e.target.value)}>
          <option value="TESLA">Tesla</option>
          <option value="FORD">Ford</option>
        </select>
      </label>
      <button id="connect" type="button" onClick={authorize}>
        Connect your vehicle
      </button>
      {error && <p id="error" role="alert">{error}</p>}
      <ul id="vehicles">
        {vehicles.map((v) => (
          <li key={v.id}>{`${v.make} ${v.model}`}</li>
        ))}
      </ul>
    </main>
  );
}

ReactDOM.render(
  <React.StrictMode>
    <App />
  </React.StrictMode>,
  document.getElementById('root'),
);
