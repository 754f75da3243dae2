package io.pbxbridge.support;

import java.io.File;

import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;

/** A file-backed idempotent repository configurable from YAML by path (keys seen survive restarts). */
public class SeenKeys extends FileIdempotentRepository {

    public SeenKeys() {
        setCacheSize(100_000);
        setMaxFileStoreSize(10L * 1024 * 1024);
    }

    public void setPath(String path) {
        File file = new File(path);
        file.getAbsoluteFile().getParentFile().mkdirs();
        setFileStore(file);
    }
}
