// The official Azure Mobile Apps Node server (azure-mobile-apps 4.x, sqlite provider), as the wire traces in
// shared/reference/wire-traces were recorded from: one soft-delete table "todoitem" with declared columns.
// Usage: node server.js <sqlite file>   -- prints "LISTENING <port>" once it serves on 127.0.0.1.
const express = require('express');
const azureMobileApps = require('azure-mobile-apps');

const app = express();
const mobile = azureMobileApps({
    data: { provider: 'sqlite', filename: process.argv[2] },
    pageSize: 50,
    maxTop: 1000,
    logging: { level: 'error' },
    swagger: false,
    homePage: false
});
const table = mobile.table();
table.columns = { text: 'string', complete: 'boolean', note: 'string' };
table.dynamicSchema = false;
table.softDelete = true;
mobile.tables.add('todoitem', table);
app.use(mobile);

mobile.tables.initialize().then(function () {
    const server = app.listen(0, '127.0.0.1', function () {
        console.log('LISTENING ' + server.address().port);
    });
}).catch(function (error) {
    console.error('FAILED ' + error);
    process.exit(1);
});
