package org.discrete4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {

    @TempDir
    Path dir;

    @Test
    void imageGridPlacesEveryPixelWhereItBelongs() throws IOException {
        // Three 2x3 images, two to a row, each pixel a 2x2 square, one dark pixel between images.
        float[][] images = new float[3][6];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 6; j++) {
                images[i][j] = (i * 6 + j) / 17f;
            }
        }
        images[2][5] = 7f; // clipped to white
        images[2][4] = Float.NaN; // drawn black
        Path file = dir.resolve("grid.png");
        Plots.imageGrid(file, images, 2, 3, 2, 2);
        BufferedImage png = ImageIO.read(file.toFile());
        assertThat(png.getWidth()).isEqualTo(2 * (3 * 2 + 1) + 1);
        assertThat(png.getHeight()).isEqualTo(2 * (2 * 2 + 1) + 1);
        assertThat(grey(png, 0, 0)).isZero();
        // image 1 (second in the first row), pixel (row 1, col 2), bottom-right of its square
        int x = (3 * 2 + 1) + 1 + 2 * 2 + 1;
        int y = 1 + 1 * 2 + 1;
        assertThat(grey(png, x, y)).isEqualTo(Math.round(255 * (6 + 5) / 17f));
        // image 2 starts the second row
        assertThat(grey(png, 1 + 2 * 2, (2 * 2 + 1) + 1 + 2)).isEqualTo(255);
        assertThat(grey(png, 1 + 2 * 1, (2 * 2 + 1) + 1 + 2)).isZero();
        assertThatThrownBy(() -> Plots.imageGrid(file, new float[][] {new float[5]}, 2, 3, 2, 2))
                .hasMessageContaining("5 values");
    }

    private static int grey(BufferedImage png, int x, int y) {
        return png.getRaster().getSample(x, y, 0);
    }
}
