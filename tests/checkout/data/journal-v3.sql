-- A journal as version 3 of the till left it (its tables verbatim): two paid sales with
-- their receipts (one cash with change, one split card and cash, its invoice pending),
-- one sale still active, and the printouts of then (a receipt, a drawer, a "no sale").
CREATE TABLE sale (
        id INTEGER PRIMARY KEY,
        started_at REAL NOT NULL,
        order_id TEXT,
        order_number TEXT,
        status TEXT NOT NULL DEFAULT 'active',
        note TEXT NOT NULL DEFAULT '{}',
        finished_at REAL
    );
CREATE TABLE cart (
        sale_id INTEGER NOT NULL REFERENCES sale(id),
        sku TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity >= 0),
        position INTEGER NOT NULL,
        PRIMARY KEY (sale_id, sku)
    );
CREATE TABLE step (
        id INTEGER PRIMARY KEY,
        sale_id INTEGER NOT NULL REFERENCES sale(id),
        kind TEXT NOT NULL,
        intent TEXT NOT NULL,
        result TEXT,
        state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'done', 'failed')),
        sent_at REAL NOT NULL,
        ended_at REAL
    );
CREATE INDEX step_by_sale ON step (sale_id, kind);
CREATE TABLE receipt (
        sale_id INTEGER PRIMARY KEY REFERENCES sale(id),
        document TEXT NOT NULL
    );
CREATE TABLE printout (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        sale_id INTEGER REFERENCES sale(id),
        copy INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'done', 'failed')),
        problem TEXT,
        partly INTEGER NOT NULL DEFAULT 0,
        sent_at REAL NOT NULL,
        ended_at REAL
    );
CREATE INDEX printout_by_sale ON printout (sale_id, kind);
INSERT INTO sale VALUES (1, 1764748000.0, 'o-1', '1000001', 'done', '{"invoice_number": "F2026-000001"}', 1764748800.0);
INSERT INTO sale VALUES (2, 1764752000.0, 'o-2', '1000002', 'invoice_pending', '{}', NULL);
INSERT INTO sale VALUES (3, 1764753000.0, NULL, NULL, 'active', '{}', NULL);
INSERT INTO cart VALUES (3, '8752601815904', 1, 0);
INSERT INTO receipt VALUES (2, '{"sale_id": 2, "order_number": "1000002", "finished_at": 1764752400.5, "lines": [{"label": "Coffee", "quantity": 1, "unit_price": 999, "total": 999}], "total": 999, "payments": [{"method": "PIN", "amount": 899}, {"method": "CASH", "amount": 100}], "change": 0, "invoice_number": null, "invoice_url": null}');
INSERT INTO receipt VALUES (1, '{"sale_id": 1, "order_number": "1000001", "finished_at": 1764748800.0, "lines": [{"label": "Tea", "quantity": 2, "unit_price": 625, "total": 1250}], "total": 1250, "payments": [{"method": "CASH", "amount": 1250}], "change": 750, "invoice_number": "F2026-000001", "invoice_url": null}');
INSERT INTO printout VALUES (1, 'drawer', 1, 0, 'done', NULL, 0, 1764748790.0, 1764748790.5);
INSERT INTO printout VALUES (2, 'receipt', 1, 0, 'done', NULL, 0, 1764748801.0, 1764748802.0);
INSERT INTO printout VALUES (3, 'no_sale', NULL, 0, 'done', NULL, 0, 1764750000.0, 1764750000.2);
PRAGMA user_version = 3;
