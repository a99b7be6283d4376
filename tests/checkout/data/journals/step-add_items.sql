BEGIN TRANSACTION;
CREATE TABLE cart (
    sale_id INTEGER NOT NULL REFERENCES sale(id),
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    position INTEGER NOT NULL,
    PRIMARY KEY (sale_id, sku)
);
INSERT INTO "cart" VALUES(1,'8752601815904',1,0);
INSERT INTO "cart" VALUES(1,'8760913909969',2,1);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617623240017247198e+09,'c32235c5-cb91-4169-9d67-cdbdc3faef13','1000001','active','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "c32235c5-cb91-4169-9d67-cdbdc3faef13"}','done',1.79617623240359640121e+09,1.79617623241942214965e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "c32235c5-cb91-4169-9d67-cdbdc3faef13", "items": {"8752601815904": 1, "8760913909969": 2}, "before": {}}',NULL,'sent',1.79617623242048978808e+09,NULL);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
