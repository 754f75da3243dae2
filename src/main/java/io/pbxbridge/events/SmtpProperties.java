package io.pbxbridge.events;

import java.util.Properties;

/** JavaMail settings for the e-mail sink that camel-mail has no URI option for: STARTTLS and timeouts. */
public class SmtpProperties extends Properties {

    /** Upgrade the connection with STARTTLS when the server offers it. */
    public void setStarttls(boolean enable) {
        setProperty("mail.smtp.starttls.enable", Boolean.toString(enable));
    }

    /** Refuse to send unless the connection was upgraded with STARTTLS. */
    public void setStarttlsRequired(boolean required) {
        setProperty("mail.smtp.starttls.required", Boolean.toString(required));
    }

    /** Connect and read timeout in ms. */
    public void setTimeoutMillis(int millis) {
        setProperty("mail.smtp.connectiontimeout", Integer.toString(millis));
        setProperty("mail.smtp.timeout", Integer.toString(millis));
        setProperty("mail.smtp.writetimeout", Integer.toString(millis));
    }
}
