package io.pbxbridge;

public class Application {
    public static void main(String[] args) throws Exception {
        org.apache.camel.main.Main.main(args);
    }
}
