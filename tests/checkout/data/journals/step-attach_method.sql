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
INSERT INTO "probe" VALUES(1.79617611728515243533e+09);
CREATE TABLE sale (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    order_id TEXT,
    order_number TEXT,
    status TEXT NOT NULL DEFAULT 'active',
    note TEXT NOT NULL DEFAULT '{}',
    finished_at REAL
);
INSERT INTO "sale" VALUES(1,1.79617611724156689637e+09,'e82f2a48-827e-4649-a1ee-575ce79a0f04','1000001','active','{}',NULL);
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
INSERT INTO "step" VALUES(1,1,'create_order','{"channel_id": "pos-demo"}','{"order_id": "e82f2a48-827e-4649-a1ee-575ce79a0f04"}','done',1.79617611724422097203e+09,1.79617611725609493253e+09);
INSERT INTO "step" VALUES(2,1,'add_items','{"order_id": "e82f2a48-827e-4649-a1ee-575ce79a0f04", "items": {"8752601815904": 1, "8760913909969": 2, "8703082462811": 1}, "before": {}}','{"units": 4}','done',1.79617611725684928891e+09,1.79617611726985287661e+09);
INSERT INTO "step" VALUES(3,1,'remove_items','{"order_id": "e82f2a48-827e-4649-a1ee-575ce79a0f04", "ids": ["itm_4435bf37fe844c24"]}','{"units": 3}','done',1.7961761172780964374e+09,1.79617611728436899183e+09);
INSERT INTO "step" VALUES(4,1,'attach_method','{"route": ["pm_pin", "term_front"]}',NULL,'sent',1.79617611728569912909e+09,NULL);
CREATE INDEX step_by_sale ON step (sale_id, kind);
COMMIT;
