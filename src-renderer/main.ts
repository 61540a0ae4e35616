import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { connect } from './lib/api/client.js';

const client = connect();
mount(App, { target: document.getElementById('app')!, props: { client } });
