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
INSERT INTO "cart" VALUES(1,'8703082462811',0,2);
CREATE TABLE probe (at REAL);
INSERT INTO "probe" VALUES(1.79617623264703440665e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617623259230828284e+09,'edb51a8a-43a9-4004-b1a4-b599b854ad8c','1000001','active','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "edb51a8a-43a9-4004-b1a4-b599b854ad8c"}','done',1.79617623259564161298e+09,1.79617623260997295378e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "edb51a8a-43a9-4004-b1a4-b599b854ad8c", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617623261098504064e+09,1.79617623262564945216e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "edb51a8a-43a9-4004-b1a4-b599b854ad8c", "ids": ["itm_41954495d5344a5b"]}','{"units": 3}','done',1.79617623263512945176e+09,1.79617623264419388768e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}',NULL,'sent',1.79617623264785432812e+09,NULL);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
