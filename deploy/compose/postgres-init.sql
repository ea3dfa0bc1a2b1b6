-- One database per service; the services would also create them on first start.
CREATE DATABASE awasi_planning;
CREATE DATABASE awasi_participation;
CREATE DATABASE awasi_reporting;
CREATE DATABASE awasi_notification;
CREATE DATABASE awasi_identity;
