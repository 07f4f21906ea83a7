import { readFileSync, writeFileSync } from 'node:fs';
import { withDiagrams } from '../machines/diagram';

// Redraws the machine diagrams in README.md from the machines.
writeFileSync('README.md', withDiagrams(readFileSync('README.md', 'utf8')));
console.log('README.md diagrams updated');
