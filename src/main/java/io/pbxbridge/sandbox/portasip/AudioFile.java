package io.pbxbridge.sandbox.portasip;

/** Audio stored by a set_* method (or seeded): its {@code i_audio_file}, name, type and bytes as uploaded. */
public record AudioFile(long iAudioFile, String filename, String contentType, byte[] bytes) {

    @Override
    public String toString() {
        return "AudioFile[" + iAudioFile + ", " + filename + ", " + contentType + ", " + bytes.length + " bytes]";
    }
}
